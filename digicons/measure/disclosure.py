"""Disclosure control: which cells of the published tables must be suppressed.

Primary suppression hides cells with too few enterprises or dominated by their largest ones.
Secondary suppression then hides further cells until no hidden value can be recovered by
subtraction: in every additive group (a parent and the children that sum to it, across the
category hierarchy and the region tables) either no cell or at least two cells are hidden.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from digicons.errors import UsageError

if TYPE_CHECKING:
    from digicons.measure.result import CellKey, MeasureResult
    from digicons.scope.catalogue import Catalogue

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class DisclosureRules:
    """Thresholds: fewer than `min_enterprises`, or top `dominance_n` above `dominance_k` %."""

    min_enterprises: int = 3
    dominance_n: int = 2
    dominance_k: Decimal = Decimal(85)

    @property
    def description(self) -> str:
        return (
            f"企业数少于{self.min_enterprises}家，或最大{self.dominance_n}家企业营业收入占比超过"
            f"{self.dominance_k}%的单元格不予公布，并对可由合计倒推的单元格作隐蔽处理"
        )


@dataclass(frozen=True)
class Sensitive:
    """What the rules need of a cell: enterprise count, revenue, the largest revenues."""

    enterprises: int
    revenue: Decimal
    largest: tuple[Decimal, ...]


def parse_dominance(text: str) -> tuple[int, Decimal]:
    """Parse `--dominance n,k` (e.g. 2,85)."""
    try:
        n_text, k_text = text.split(",")
        n, k = int(n_text), Decimal(k_text)
    except ValueError:
        raise UsageError(f"--dominance '{text}' 不是 n,k 的形式，如 2,85（is not n,k）") from None
    if n < 1 or not Decimal(0) < k <= Decimal(100):
        raise UsageError(f"--dominance '{text}'：n 应 ≥ 1，k 应在 (0, 100] 之间")
    return n, k


def primary(cell: Sensitive, rules: DisclosureRules) -> bool:
    """Too few enterprises, or too dominated by the largest ones."""
    if cell.enterprises == 0:
        return False
    if cell.enterprises < rules.min_enterprises:
        return True
    top = sum(sorted(cell.largest, reverse=True)[: rules.dominance_n], Decimal(0))
    return cell.revenue > 0 and top > cell.revenue * rules.dominance_k / 100


def suppress(
    cells: dict[K, Sensitive],
    groups: Sequence[tuple[K, Sequence[K]]],
    rules: DisclosureRules,
) -> set[K]:
    """Primary, then secondary suppression over additive groups (parent, children)."""
    hidden = {key for key, cell in cells.items() if primary(cell, rules)}
    changed = True
    while changed:
        changed = False
        for parent, children in groups:
            members = [parent, *children]
            if sum(m in hidden for m in members) != 1:
                continue
            # The complement: the smallest non-empty visible child, else the parent.
            candidates = [c for c in children if c not in hidden and cells[c].enterprises > 0]
            if candidates:
                choice = min(candidates, key=lambda c: (abs(cells[c].revenue), str(c)))
            elif parent not in hidden:
                choice = parent
            else:
                continue  # every other member is empty: nothing is left to protect
            hidden.add(choice)
            changed = True
    return hidden


def disclose(result: MeasureResult, catalogue: Catalogue, rules: DisclosureRules) -> MeasureResult:
    """Apply primary and secondary suppression over every published table."""
    cells: dict[CellKey, Sensitive] = {
        c.key: Sensitive(c.enterprises, c.revenue, c.largest)
        for c in [*result.cells, *result.region_cells]
    }
    groups: list[tuple[CellKey, list[CellKey]]] = []
    regions = result.regions()
    for parent in [None, *regions]:
        groups.append(((parent, ""), [(parent, m.code) for m in catalogue.level("major")]))
        for major in catalogue.level("major"):
            groups.append(
                ((parent, major.code), [(parent, m.code) for m in catalogue.children(major.code)])
            )
        if parent is None:
            for medium in catalogue.level("medium"):
                groups.append(
                    ((None, medium.code), [(None, m.code) for m in catalogue.children(medium.code)])
                )
    if regions:
        for category in [
            "",
            *(c.code for c in catalogue.categories.values() if c.level != "minor"),
        ]:
            groups.append(((None, category), [(r, category) for r in regions]))
    hidden = suppress(cells, groups, rules)
    return replace(result, disclosure=rules, suppressed=frozenset(hidden))
