"""Money units of enterprise reports and published tables."""

from __future__ import annotations

from decimal import Decimal

from digicons.errors import UsageError
from digicons.text import compact

UNITS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10_000),
    "百万元": Decimal(1_000_000),  # the unit of listed companies' reports
    "亿元": Decimal(100_000_000),
}
KNOWN_UNITS = "、".join(UNITS)
_ALIASES = {
    "yuan": "元",
    "thousand": "千元",
    "k": "千元",
    "10k": "万元",
    "wan": "万元",
    "million": "百万元",
    "100m": "亿元",
    "yi": "亿元",
}


def parse_unit(text: str) -> str:
    """Return the canonical unit name for 元/千元/万元/百万元/亿元 (or yuan/thousand/wan/million/
    yi)."""
    value = text.strip()
    unit = _ALIASES.get(value.lower(), value)
    if unit not in UNITS:
        raise UsageError(f"未知的金额单位 '{text}'（unknown unit）", hint=f"可用：{KNOWN_UNITS}。")
    return unit


def number_text(text: str) -> tuple[str, bool]:
    """A number as people write it, without spaces or full-width forms (' ３５ ％ ' → '35'), and
    whether it ended with a percent sign."""
    plain = compact(text)
    return plain.removesuffix("%"), plain.endswith("%")


def parse_percent(text: str, option: str) -> Decimal:
    """A percentage as people write it: 5, 5%, ５％, ' 5 % '; anything else (NaN, 8x5) is a usage
    error naming the option."""
    plain, _ = number_text(text)
    try:
        value = Decimal(plain)
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite():
        raise UsageError(f"{option} '{text}' 不是百分比（not a percentage）")
    return value


def convert(value: Decimal, source: str, target: str) -> Decimal:
    """Convert an amount exactly from one unit to another."""
    return value * UNITS[source] / UNITS[target]
