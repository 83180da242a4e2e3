"""An attacker who knows only what a run publishes (its JSON) and how the tables add up.

Built independently of digicons.measure.disclosure: from the published rows, the catalogue's
parent links and the regions; solved with scipy's linprog (HiGHS). Used by the tests to check
that no sensitive cell can be narrowed below the protection level.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.optimize import linprog

from digicons.scope.catalogue import load_catalogue

Key = tuple[str | None, str]


def published(document: dict[str, Any], measure: str = "revenue") -> dict[Key, float | None]:
    """Every published cell: its value, or None when it is suppressed."""
    cells: dict[Key, float | None] = {}
    for row in document["rows"]:
        cells[(None, row["code"])] = None if row["suppressed"] else (row[measure] or 0.0)
    for row in document["regions"]["rows"]:
        key = (row["region"], row["code"])
        cells[key] = None if row["suppressed"] else (row[measure] or 0.0)
    return cells


def equations(cells: dict[Key, float | None]) -> list[tuple[Key, list[Key]]]:
    catalogue = load_catalogue()
    regions = sorted({r for r, _ in cells if r is not None})
    found: list[tuple[Key, list[Key]]] = []
    for region in [None, *regions]:
        found.append(((region, ""), [(region, m.code) for m in catalogue.level("major")]))
        for category in catalogue.categories.values():
            if category.level == "minor" or (region is not None and category.level == "medium"):
                continue
            children = [(region, c.code) for c in catalogue.children(category.code)]
            found.append(((region, category.code), children))
    if regions:
        for code in ["", *(c.code for c in catalogue.categories.values() if c.level != "minor")]:
            found.append(((None, code), [(region, code) for region in regions]))
    return [(p, [c for c in ch if c in cells]) for p, ch in found if p in cells]


def interval(cells: dict[Key, float | None], target: Key) -> tuple[float, float]:
    """The least and greatest value of a suppressed cell consistent with everything published,
    every cell being at least 0."""
    unknown = [key for key, value in cells.items() if value is None]
    column = {key: j for j, key in enumerate(unknown)}
    rows, rhs = [], []
    for parent, children in equations(cells):
        coefficients = np.zeros(len(unknown))
        known = 0.0
        for key, sign in [(parent, 1.0), *((c, -1.0) for c in children)]:
            value = cells[key]
            if value is None:
                coefficients[column[key]] += sign
            else:
                known += sign * value
        if coefficients.any():
            rows.append(coefficients)
            rhs.append(-known)
    bounds = [(0, None)] * len(unknown)
    objective = np.zeros(len(unknown))
    objective[column[target]] = 1.0
    ends = []
    for sign in (1.0, -1.0):
        solved = linprog(
            sign * objective,
            A_eq=np.array(rows) if rows else None,
            b_eq=np.array(rhs) if rhs else None,
            bounds=bounds,
            method="highs",
        )
        if solved.status == 3:  # unbounded
            ends.append(math.inf)
        else:
            assert solved.status == 0, solved.message
            ends.append(sign * solved.fun)
    return ends[0], ends[1]
