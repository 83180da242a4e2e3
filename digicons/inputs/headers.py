"""The columns digicons reads from enterprise files, and the headers that name them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from digicons.errors import UsageError


@dataclass(frozen=True)
class Column:
    """One logical input column, the headers that may name it, and whether it must be present."""

    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool


COLUMNS: tuple[Column, ...] = (
    Column(
        "credit_code",
        "统一社会信用代码",
        ("统一社会信用代码", "社会信用代码", "credit_code", "uscc"),
        True,
    ),
    Column("name", "单位详细名称", ("单位详细名称", "单位名称", "企业名称", "name"), True),
    Column(
        "industry_code",
        "行业代码",
        ("行业代码", "国民经济行业代码", "行业代码(gb/t4754-2017)", "industry_code"),
        True,
    ),
    Column("region", "区划代码", ("区划代码", "行政区划代码", "region"), False),
    Column("revenue", "营业收入", ("营业收入", "本期营业收入", "revenue"), True),
    Column(
        "revenue_prior",
        "营业收入上年同期",
        ("营业收入上年同期", "上年同期营业收入", "revenue_prior"),
        False,
    ),
    Column("period", "报告期", ("报告期", "period"), False),
)
KEYS = tuple(c.key for c in COLUMNS)
BY_KEY = {c.key: c for c in COLUMNS}

# Exports often append the unit: 营业收入（千元）, 营业收入(千元).
_UNIT_SUFFIX = re.compile(r"[（(]\s*([^）)]*)\s*[）)]$")
_SPACES = re.compile(r"[\s\u3000]+")


def normalise_header(header: str) -> str:
    """The comparable form of a header: no spaces, no BOM, no unit suffix, lower case."""
    text = _SPACES.sub("", header.replace("\ufeff", ""))
    return _UNIT_SUFFIX.sub("", text).lower()


def header_unit(header: str) -> str | None:
    """The unit a header names in its suffix, e.g. '千元' in '营业收入（千元）'."""
    match = _UNIT_SUFFIX.search(_SPACES.sub("", header))
    return match.group(1) if match else None


def parse_column_overrides(specs: list[str]) -> dict[str, str]:
    """Parse `--columns revenue=本季收入,name=单位名称` into {key: header}."""
    overrides: dict[str, str] = {}
    for spec in specs:
        for item in filter(None, (part.strip() for part in spec.split(","))):
            key, sep, header = item.partition("=")
            key = key.strip()
            if not sep or not header.strip():
                raise UsageError(f"--columns: '{item}' is not KEY=HEADER")
            if key not in BY_KEY:
                raise UsageError(
                    f"--columns: unknown column '{key}'", hint=f"Known columns: {', '.join(KEYS)}."
                )
            overrides[key] = header.strip()
    return overrides


def find_header(headers: list[str], *names: str) -> int | None:
    """The index of the first header that is one of `names` (compared as normalise_header does)."""
    normalised = [normalise_header(h) for h in headers]
    for name in names:
        target = normalise_header(name)
        if target in normalised:
            return normalised.index(target)
    return None


def match_headers(headers: list[str], overrides: dict[str, str]) -> dict[str, int]:
    """Map each logical column to the index of the header naming it (absent keys are missing)."""
    found: dict[str, int] = {}
    for column in COLUMNS:
        wanted = (overrides[column.key],) if column.key in overrides else column.aliases
        index = find_header(headers, *wanted)
        if index is not None:
            found[column.key] = index
    return found


HEADER_SEARCH_ROWS = 10


def header_row(candidates: list[list[str]]) -> int:
    """Which of the first rows is the header: the one naming most known columns (title rows that
    some exports put above the header are skipped). 0 when none names at least two."""
    scores = [len(match_headers(row, {})) for row in candidates[:HEADER_SEARCH_ROWS]]
    best = max(scores, default=0)
    return scores.index(best) if best >= 2 else 0
