"""Disclosure control that holds against an attacker's linear program (统计法 第二十五条).

`rules`: which cells are sensitive; `model`: every published figure as one linear system;
`audit`: the attacker's problem for a hidden cell; `protect`: secondary suppression until every
sensitive cell is protected. `disclose` applies it all to a measurement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import Decimal

from digicons.measure.disclosure.model import build
from digicons.measure.disclosure.protect import protect
from digicons.measure.disclosure.rules import (
    DisclosureRules,
    Sensitive,
    parse_dominance,
    parse_protection,
    primary,
)
from digicons.measure.result import CellKey, MeasureResult
from digicons.scope.catalogue import Catalogue

__all__ = [
    "DisclosureAudit",
    "DisclosureRules",
    "Sensitive",
    "disclose",
    "parse_dominance",
    "parse_protection",
    "primary",
]


@dataclass(frozen=True)
class DisclosureAudit:
    """What an attacker can still learn: the interval of every hidden cell, per measure."""

    primary: frozenset[CellKey]
    secondary: frozenset[CellKey]
    # (cell, measure) → (lower, upper) in the input unit; None where unbounded
    intervals: dict[tuple[CellKey, str], tuple[float | None, float | None]]
    # table → % of the total revenue in hidden cells; None when the total is hidden itself
    hidden_share: dict[str, Decimal | None]


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _shares(result: MeasureResult, hidden: frozenset[CellKey]) -> dict[str, Decimal | None]:
    """Per table of finest cells: the share of the total revenue that is hidden. None when the
    total is hidden: the visible cells' sum and the share would give it (visible ÷ (1 − share)).
    With the total published, the share tells nothing new (the total less the visible cells)."""
    total = result.total.revenue
    tables = {
        "minor": [c for c in result.cells if c.level == "minor"],
        "region_medium": [c for c in result.region_cells if c.level == "medium"],
    }
    shares: dict[str, Decimal | None] = {}
    for name, cells in tables.items():
        if cells and total > 0:
            hidden_revenue = sum((c.revenue for c in cells if c.key in hidden), Decimal(0))
            shares[name] = None if result.total.key in hidden else hidden_revenue / total * 100
    return shares


def disclose(result: MeasureResult, catalogue: Catalogue, rules: DisclosureRules) -> MeasureResult:
    """Suppress every sensitive cell, and further cells until each is protected."""
    system = build(result, catalogue)
    found = protect(system, rules)
    keys = system.keys
    hidden = frozenset(keys[i] for i in found.hidden)
    audit = DisclosureAudit(
        primary=frozenset(keys[i] for i in found.primary),
        secondary=frozenset(keys[i] for i in found.secondary),
        intervals={
            (keys[cell], measure): (_finite(low), _finite(high))
            for (cell, measure), (low, high) in found.intervals.items()
        },
        hidden_share=_shares(result, hidden),
    )
    return replace(result, disclosure=rules, suppressed=hidden, audit=audit)
