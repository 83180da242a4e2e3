"""Which cells are sensitive (primary suppression), and how well a hidden cell must be protected.

A cell is sensitive when it has fewer than `min_enterprises` enterprises, or when its
`dominance_n` largest enterprises hold more than `dominance_k` % of its revenue (the (n, k)
dominance rule). A sensitive cell is protected when an attacker who knows every published figure
and how the figures add up can place its value, in each protected measure, only within an interval
that reaches at least `protection` % of the value below and above it.

The default protection level, 10 %, is τ-Argus's default interval protection (its safety rule
`MAN(10)`, the default of INSEE's rtauargus).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from digicons.errors import UsageError
from digicons.units import parse_percent

DEFAULT_PROTECTION = Decimal(10)


@dataclass(frozen=True)
class DisclosureRules:
    """Thresholds of primary suppression, and the protection level of secondary suppression."""

    min_enterprises: int = 3
    dominance_n: int = 2
    dominance_k: Decimal = Decimal(85)
    protection: Decimal = DEFAULT_PROTECTION  # % of a sensitive value, below and above it

    def __post_init__(self) -> None:
        # 0 or fewer enterprises would publish every cell the dominance rule lets through.
        if self.min_enterprises < 1:
            raise UsageError(
                f"--min-enterprises {self.min_enterprises}：应至少为 1（must be at least 1）",
                hint="统计制度通常为 3。",
            )

    @property
    def description(self) -> str:
        return (
            f"企业数少于{self.min_enterprises}家，或最大{self.dominance_n}家企业营业收入占比超过"
            f"{self.dominance_k}%的单元格不予公布；另隐蔽必要的单元格，使任何人由公布数据"
            f"推算这些单元格时，其可能取值范围上下均不少于真实值的{self.protection}%"
        )


@dataclass(frozen=True)
class Sensitive:
    """What the rules need of a cell: enterprise count, revenue, the largest revenues."""

    enterprises: int
    revenue: Decimal
    largest: tuple[Decimal, ...]


def parse_dominance(text: str) -> tuple[int, Decimal]:
    """Parse `--dominance n,k` (e.g. 2,85; also 2，85 or 2, 85%)."""
    try:
        n_text, k_text = unicodedata.normalize("NFKC", text).split(",")
        n = int(n_text)
    except ValueError:
        raise UsageError(f"--dominance '{text}' 不是 n,k 的形式，如 2,85（is not n,k）") from None
    k = parse_percent(k_text, "--dominance")
    if n < 1 or not Decimal(0) < k <= Decimal(100):
        raise UsageError(f"--dominance '{text}'：n 应 ≥ 1，k 应在 (0, 100] 之间")
    return n, k


def parse_protection(text: str) -> Decimal:
    value = parse_percent(text, "--protection")
    if not Decimal(0) < value <= Decimal(100):
        raise UsageError(f"--protection {text}：应在 (0, 100] 之间（must be in (0, 100]）")
    return value


def primary(cell: Sensitive, rules: DisclosureRules) -> bool:
    """Too few enterprises, or too dominated by its `dominance_n` largest ones."""
    if cell.enterprises == 0:
        return False
    if cell.enterprises < rules.min_enterprises:
        return True
    top = sum(sorted(cell.largest, reverse=True)[: rules.dominance_n], Decimal(0))
    return cell.revenue > 0 and top > cell.revenue * rules.dominance_k / 100
