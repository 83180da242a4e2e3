"""Derived indicators of a table cell: growth, share, change of share, contribution to growth.

All are on the comparable basis (同口径): `matched` is this period's revenue of the enterprises
that have a prior-year value, `prior` their prior-year revenue. Each returns None where it is
undefined (no prior value, or a base that is not positive), shown as "—".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Figures:
    """The sums of one cell (input unit)."""

    enterprises: int
    revenue: Decimal
    revenue_prior: Decimal | None
    revenue_matched: Decimal


def yoy_pct(cell: Figures) -> Decimal | None:
    """同比增长(%): matched revenue over its prior-year revenue, minus one."""
    if cell.revenue_prior is None or cell.revenue_prior <= 0:
        return None
    return (cell.revenue_matched / cell.revenue_prior - 1) * HUNDRED


def share_pct(cell: Figures, total: Figures) -> Decimal | None:
    """占比(%): share of total digital-consumption revenue."""
    if total.revenue == 0:
        return None
    return cell.revenue / total.revenue * HUNDRED


def share_change_pp(cell: Figures, total: Figures) -> Decimal | None:
    """占比变动(百分点): share among comparable enterprises now, minus their share a year ago."""
    if total.revenue_prior is None or total.revenue_prior <= 0 or total.revenue_matched == 0:
        return None
    now = cell.revenue_matched / total.revenue_matched
    before = (cell.revenue_prior or Decimal(0)) / total.revenue_prior
    return (now - before) * HUNDRED


def _change(cell: Figures) -> Decimal:
    return cell.revenue_matched - (cell.revenue_prior or Decimal(0))


def pull_pp(cell: Figures, total: Figures) -> Decimal | None:
    """拉动(百分点): the change of the category over the total's prior revenue; parts add up."""
    if total.revenue_prior is None or total.revenue_prior <= 0:
        return None
    return _change(cell) / total.revenue_prior * HUNDRED


def contribution_pct(cell: Figures, total: Figures) -> Decimal | None:
    """贡献率(%): the category's share of the total change; parts add to 100."""
    change = _change(total)
    if total.revenue_prior is None or change == 0:
        return None
    return _change(cell) / change * HUNDRED
