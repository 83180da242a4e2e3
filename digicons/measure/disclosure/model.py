"""Every published figure of a run as one linear system.

Cells are the published table cells: the national total, majors, mediums and minors, and for each
region its total, majors and mediums. Each protected measure (营业收入, 上年同期, 同口径本期, and
the bounds when they are published) gives every cell a value. The equations are how figures add up:
a category equals the sum of its children (from the catalogue's parent links), a region's total
the sum of its majors, a region's major the sum of its mediums, and every national figure the sum
of the same figure over the regions. An attacker knows all of it, plus that a cell's value is not
negative wherever the data holds no negative value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from digicons.measure.result import Cell, CellKey, MeasureResult
from digicons.scope.catalogue import Catalogue


@dataclass(frozen=True)
class Measure:
    """One protected figure of every cell."""

    key: str  # as in MeasureResult.values: revenue, revenue_prior, revenue_comparable, ...
    values: np.ndarray  # per cell, in the input unit
    lower: np.ndarray  # per cell: 0 where no contribution is negative, else -inf


@dataclass(frozen=True)
class System:
    """The cells, the measures and the equations (coefficients by cell index, summing to 0)."""

    keys: list[CellKey]
    cells: list[Cell]
    measures: list[Measure]
    equations: list[tuple[np.ndarray, np.ndarray]]  # (cell indices, coefficients)


def _value(cell: Cell, key: str) -> Decimal:
    if key == "revenue":
        return cell.revenue
    if key == "revenue_prior":
        return cell.revenue_prior or Decimal(0)
    if key == "revenue_comparable":
        return cell.revenue_matched
    if key == "revenue_lower":
        return cell.lower_revenue
    if key == "revenue_upper":
        return cell.upper_revenue
    raise ValueError(key)


def _values(cells: list[Cell], key: str) -> np.ndarray:
    return np.array([float(_value(c, key)) for c in cells], dtype=np.float64)


def build(result: MeasureResult, catalogue: Catalogue) -> System:
    """The system of a measurement's published figures."""
    cells = [*result.cells, *result.region_cells]
    keys = [c.key for c in cells]
    at = {key: i for i, key in enumerate(keys)}
    equations: list[tuple[np.ndarray, np.ndarray]] = []

    def add(parent: CellKey, children: list[CellKey]) -> None:
        present = [at[c] for c in children if c in at]
        if parent in at and present:
            indices = np.array([at[parent], *present], dtype=np.int32)
            coefficients = np.array([1.0] + [-1.0] * len(present))
            equations.append((indices, coefficients))

    regions = result.regions()
    for region in [None, *regions]:
        add((region, ""), [(region, m.code) for m in catalogue.level("major")])
        for category in catalogue.categories.values():
            if category.level == "minor" or (region is not None and category.level == "medium"):
                continue
            add(
                (region, category.code),
                [(region, c.code) for c in catalogue.children(category.code)],
            )
    if regions:
        for code in ["", *(c.code for c in catalogue.categories.values() if c.level != "minor")]:
            add((None, code), [(region, code) for region in regions])
    nonnegative = np.array([c.smallest is None or c.smallest >= 0 for c in cells])
    lower = np.where(nonnegative, 0.0, -math.inf)
    keys_measured = ["revenue", "revenue_prior", "revenue_comparable"]
    if result.bounds:
        keys_measured += ["revenue_lower", "revenue_upper"]
    measures = [Measure(k, _values(cells, k), lower) for k in keys_measured]
    return System(keys, cells, measures, equations)
