"""The columns digicons reads from enterprise files, and the headers that name them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from digicons.errors import UsageError
from digicons.text import compact


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
        ("统一社会信用代码", "社会信用代码", "信用代码", "credit_code", "uscc"),
        True,
    ),
    Column("name", "单位详细名称", ("单位详细名称", "单位名称", "企业名称", "name"), True),
    Column(
        "industry_code",
        "行业代码",
        (
            "行业代码",
            "国民经济行业代码",
            "国民经济行业分类代码",
            "行业代码(gb/t4754-2017)",
            "industry_code",
        ),
        True,
    ),
    Column("region", "区划代码", ("区划代码", "行政区划代码", "region"), False),
    # A two-row header (营业收入 merged over 本期 / 上年同期) reads as the two rows joined.
    Column(
        "revenue",
        "营业收入",
        (
            "营业收入",
            "本期营业收入",
            "revenue",
            "营业收入本期",
            "营业收入本期累计",
            "营业收入本年累计",
            "营业收入本期金额",
        ),
        True,
    ),
    Column(
        "revenue_prior",
        "营业收入上年同期",
        (
            "营业收入上年同期",
            "上年同期营业收入",
            "revenue_prior",
            "营业收入上年同期累计",
            "营业收入上年同期金额",
            "营业收入去年同期",
        ),
        False,
    ),
    Column("period", "报告期", ("报告期", "报告期别", "period"), False),
)
KEYS = tuple(c.key for c in COLUMNS)
REQUIRED = frozenset(c.key for c in COLUMNS if c.required)
BY_KEY = {c.key: c for c in COLUMNS}

# Exports name the unit in brackets, anywhere in the header (营业收入（千元）, 营业收入（万元，本年
# 累计）, 营业收入（万元）本年累计, 营业收入[万元], 营业收入【人民币万元】), after a slash
# (营业收入/万元) or last (营业收入 万元). Other bracketed words are part of the name when that
# makes a name digicons knows (营业收入（上年同期）, 营业收入(本期)), else not: (18位), (1-9月).
_BRACKETED = re.compile(r"[(\[【〔]([^(\[【〔)\]】〕]*)[)\]】〕]")
# Any money unit, known or not (十万元, 百元): a unit digicons does not know is refused where the
# file is read (inputs.sources.units_named), never taken for no unit at all.
_UNIT = r"[十百千万亿]*元"
_MONEY = rf"(?:人民币)?({_UNIT})(?:人民币)?"
_TRAILING_UNIT = re.compile(rf"(?<=.)/?{_MONEY}$")
_UNIT_TOKEN = re.compile(rf"{_MONEY}")
_SEPARATORS = re.compile(r"[,、/;:]")


def _bare(text: str) -> str:
    return _TRAILING_UNIT.sub("", _BRACKETED.sub("", text)).lower()


def _worded(text: str) -> str:
    def words(match: re.Match[str]) -> str:
        kept = [t for t in _SEPARATORS.split(match.group(1)) if not _UNIT_TOKEN.fullmatch(t)]
        return "".join(kept)

    return _TRAILING_UNIT.sub("", _BRACKETED.sub(words, text)).lower()


_KNOWN = frozenset(_bare(compact(alias)) for column in COLUMNS for alias in column.aliases)


def normalise_header(header: str) -> str:
    """The comparable form of a header: NFKC, no spaces, no BOM, no unit, lower case; bracketed
    words kept when they make a known name (营业收入（上年同期） → 营业收入上年同期), else left
    out (统一社会信用代码（18位） → 统一社会信用代码)."""
    text = compact(header)
    worded = _worded(text)
    return worded if worded in _KNOWN else _bare(text)


def header_units(header: str) -> set[str]:
    """The money units a header names: 万元 in 营业收入（万元，本年累计） or 营业收入/万元."""
    text = compact(header)
    found = {
        match.group(1)
        for group in _BRACKETED.findall(text)
        for token in _SEPARATORS.split(group)
        if (match := _UNIT_TOKEN.fullmatch(token))
    }
    last = _TRAILING_UNIT.search(_BRACKETED.sub("", text))
    return found | ({last.group(1)} if last else set())


# 单位：万元, 金额单位：千元, 计量单位:元, 金额单位为万元 on a line above the table (or in a note
# under it).
_TITLE_UNIT = re.compile(rf"(?:金额|计量|货币)?单位(?:[:：]|为|是)?({_UNIT})")


def title_units(lines: Sequence[str]) -> set[str]:
    """The money units the title rows above a header name (单位：万元)."""
    found: set[str] = set()
    for line in lines:
        found.update(_TITLE_UNIT.findall(compact(line)))
    return found


def parse_column_overrides(specs: list[str]) -> dict[str, str]:
    """Parse `--columns revenue=本年营业收入,name=单位名称` into {key: header}."""
    overrides: dict[str, str] = {}
    for spec in specs:
        for item in filter(None, (part.strip() for part in spec.split(","))):
            key, sep, header = item.partition("=")
            key = key.strip()
            if not sep or not header.strip():
                raise UsageError(f"--columns：'{item}' 不是 键=表头 的形式（is not KEY=HEADER）")
            if key not in BY_KEY:
                raise UsageError(
                    f"--columns：未知的列 '{key}'（unknown column）",
                    hint=f"可用的列（known columns）：{', '.join(KEYS)}。",
                )
            overrides[key] = header.strip()
    return overrides


# A column named by its place, for headers that cannot tell two columns apart: 第6列, #6.
_BY_PLACE = re.compile(r"(?:第|#)([0-9]+)列?")


def column_place(given: str) -> int | None:
    """The index (from 0) of a column a --columns value names by its place (第6列, #6), or None
    when it names a header."""
    match = _BY_PLACE.fullmatch(compact(given))
    return int(match.group(1)) - 1 if match else None


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
        given = overrides.get(column.key)
        place = None if given is None else column_place(given)
        if place is not None:
            if 0 <= place < len(headers):
                found[column.key] = place
            continue
        index = find_header(headers, *((given,) if given is not None else column.aliases))
        if index is not None:
            found[column.key] = index
    return found


def ambiguous_headers(headers: list[str], overrides: dict[str, str]) -> dict[str, list[int]]:
    """The logical columns that more than one header could name (营业收入 beside 营业收入本年累计),
    with those headers' indexes; a column given by --columns is ambiguous only when several
    headers read as the name given (two columns headed 营业收入), never when given by place."""
    normalised = [normalise_header(h) for h in headers]
    found: dict[str, list[int]] = {}
    for column in COLUMNS:
        given = overrides.get(column.key)
        if given is not None and column_place(given) is not None:
            continue
        names = (given,) if given is not None else column.aliases
        targets = {normalise_header(a) for a in names}
        indexes = [i for i, h in enumerate(normalised) if h and h in targets]
        if len(indexes) > 1:
            found[column.key] = indexes
    return found


# Forms put 表号, 制定机关, 批准文号, 有效期至, 填报单位 and notes above the header.
HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Header:
    """Where the header is among a file's first rows, how many rows it takes, and one name per
    column (a two-row header joins its rows: 营业收入 over 上年同期 → 营业收入上年同期)."""

    start: int
    height: int
    names: list[str]

    @property
    def data_start(self) -> int:
        """The index of the first row below the header."""
        return self.start + self.height


def joined_header(top: list[str], sub: list[str]) -> list[str]:
    """Two header rows as one: a cell merged across columns carries its text to the right, over
    every column whose lower cell is filled."""
    width = max(len(top), len(sub))
    names: list[str] = []
    carried = ""
    for i in range(width):
        upper = top[i].strip() if i < len(top) else ""
        lower = sub[i].strip() if i < len(sub) else ""
        if upper:
            carried = upper
        parent = upper or (carried if lower else "")
        if not lower or lower == parent:
            names.append(parent or lower)
            continue
        # A unit named above (营业收入（千元） over 本期) stays in the joined name, where
        # header_units finds it: 营业收入（千元）本期.
        names.append(parent + lower)
    return names


def locate_header(candidates: list[list[str]], overrides: dict[str, str] | None = None) -> Header:
    """Which of the first rows is the header: the one naming most known columns (title rows that
    some exports put above it are skipped); the row below joins it when that names more columns
    (a two-row header). The first row when none names at least two."""
    wanted = overrides or {}
    rows = candidates[:HEADER_SEARCH_ROWS]
    scores = [len(match_headers(row, wanted)) for row in rows]
    best = max(scores, default=0)
    start = scores.index(best) if best >= 2 else 0
    single = rows[start] if rows else []
    if start + 1 < len(rows):
        joined = joined_header(single, rows[start + 1])
        if len(match_headers(joined, wanted)) > len(match_headers(single, wanted)):
            return Header(start, 2, joined)
    return Header(start, 1, [h.strip() for h in single])
