"""Values as bureau systems export them, normalised one way whatever the file format.

Every format (CSV, Excel, Parquet) hands its cells over as text; these functions turn that text
into what digicons compares. Full-width digits and letters become ASCII (NFKC: `６４２２` → `6422`,
`Ｆ５２９２` → `F5292`, the ideographic space → a space), surrounding spaces of any width go, and
traces of a number type are undone (`6422.0` → `6422`). Amounts are parsed in SQL, per row
(`amount()` in queries/macros.sql), by the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from digicons.period import Period, find_period
from digicons.scope.gbt4754 import INTEGRAL_FLOAT, SPACES, code_text
from digicons.scope.regions import abolished, code_of_name

_THREE_DIGITS = re.compile(r"[0-9]{3}")
# A class written with its name in one cell (6421 互联网搜索服务, I6422互联网游戏服务,
# 5292－互联网零售), after code_text(): the code, separators, then a name that starts with a
# Chinese character.
_NAMED = re.compile(r"([A-Z]?[0-9]{4})[\s\-—_:,/、.]*([\u4e00-\u9fff].*)")
# Characters no XML document (so no workbook) may hold: C0 controls but tab, newline, return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The words of an empty cell (N/A, NULL, NONE, nan as pandas writes it) and zeros, which no
# code is: placeholders in any code cell, written in upper case.
_EMPTY_WORDS = r"N/?A|NULL|NONE|NAN|0+"
# What a region or industry-code cell holds for none (a region's names are Chinese): no digit,
# letter or Chinese character, an empty cell's word, a word for none.
_PLACEHOLDER = re.compile(
    rf"[^0-9A-Za-z\u4e00-\u9fff]+|{_EMPTY_WORDS}|无|暂无|不详|未知|空|缺失?", re.IGNORECASE
)


def text(value: str | None) -> str:
    """NFKC, without surrounding spaces, and out of the ="…" that exports wrap codes in for Excel
    to keep them as text (="0111"); None becomes empty."""
    if value is None:
        return ""
    plain = (
        value.strip(SPACES)
        if value.isascii()
        else unicodedata.normalize("NFKC", value).strip(SPACES)
    )
    if plain.startswith('="') and plain.endswith('"') and len(plain) > 2:
        return plain[2:-1].strip(SPACES)
    return plain


@dataclass(frozen=True)
class IndustryCode:
    """An industry code as digicons reads it, whether a lost leading zero was put back, and the
    name written beside it in the same cell."""

    code: str
    padded: bool
    name: str | None = None


def industry_code(value: str | None) -> IndustryCode:
    """`6422`, ` ６４２２ `, `6422.0`, `i6422` → 6422 / I6422; `111` (a number that lost its
    leading zero) → `0111`, marked as padded so that a person can confirm; a placeholder (-, 无,
    N/A) → empty; `6421 互联网搜索服务` → 6421, with its name (a group's 3 digits with a name stay
    as written: no class)."""
    code = code_text(text(value))
    if _PLACEHOLDER.fullmatch(code):
        return IndustryCode("", False)
    if named := _NAMED.fullmatch(code):
        return IndustryCode(named.group(1), False, named.group(2).strip(SPACES))
    if _THREE_DIGITS.fullmatch(code):
        return IndustryCode("0" + code, True)
    return IndustryCode(code, False)


def region_code(value: str | None) -> str:
    """`110105`, `１１０１０５`, `110105.0` → `110105`; a 统计用区划代码 of 9 or 12 digits (the
    county's 6, then the township's 3 and the village's 3) → its county: `110105001000` →
    `110105`."""
    code = text(value)
    match = INTEGRAL_FLOAT.fullmatch(code)
    code = match.group(1) if match else code
    return code[:6] if len(code) in (9, 12) and code.isascii() and code.isdigit() else code


@dataclass(frozen=True)
class Region:
    """A region cell as digicons reads it: its code, and the name it was written as (东城区 →
    110101), if it was one."""

    code: str
    name: str | None = None
    abolished: str | None = None  # the code as read, when it is one no longer in force


def region(value: str | None) -> Region:
    """`region_code`, and a division written by name read as its code (a name no division or
    several have stays as written); a placeholder (-, 无, N/A, 000000) is no region; the code
    of a division abolished since (110103 崇文区) is read as its successor's (110101 东城区)."""
    code = region_code(value)
    if _PLACEHOLDER.fullmatch(code):
        return Region("")
    if code and not code.isdigit() and (named := code_of_name(code)) is not None:
        return Region(named, code)
    change = abolished().get(code)
    if change is not None:
        return Region(change.successor, abolished=code)
    return Region(code)


@dataclass(frozen=True)
class CreditCode:
    """A credit code as digicons compares it; `numeric` when it went through a number type."""

    code: str
    numeric: bool


# RE2 (pyarrow) patterns: every kind of space after NFKC, and the traces of a number type.
_CODE_SPACES = r"[\s\x{0b}\x{a0}\x{3000}\x{200b}-\x{200d}\x{2060}\x{feff}]+"
_EXCEL_TEXT = r'^="(.*)"\s*$'  # ="911…": a code wrapped for Excel to keep it as text
_CODE_FLOAT = r"^[+-]?[0-9]*\.?[0-9]+[eE][+-]?[0-9]+$|^[0-9]+\.[0-9]+$"
# Text that is no one's credit code (after NFKC, upper case, no spaces): no ASCII letter or
# digit at all (无, 暂无, -, —, /), or an empty cell's word. A total row's label (合计) is one
# too: queries/judged.sql reads it from the cell as read.
_NO_CODE = rf"^(?:[^0-9A-Z]+|{_EMPTY_WORDS})$"


def credit_codes(values: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Normal forms of many credit codes at once, and which went through a number type.

    Upper case, no spaces anywhere, full-width as ASCII. A code that shows traces of a number
    type (`9.11101E+17`, `110108000000001.0`) lost digits: it is marked numeric. A placeholder
    for no code (无, 暂无, -, /, N/A, nan, 0, all zeros) is no code: empty, so that the units
    exported with it are not taken for one enterprise repeated.
    """
    normal = pc.utf8_normalize(values, "NFKC")
    # The regular expression costs 0.9 s on 10M codes: only when some code is so wrapped.
    if pc.any(pc.starts_with(normal, '="')).as_py():
        normal = pc.replace_substring_regex(normal, _EXCEL_TEXT, r"\1")
    codes = pc.utf8_upper(pc.replace_substring_regex(normal, _CODE_SPACES, ""))
    # Only codes of another length than 18, or starting with 0, can be placeholders: the
    # expression over those alone (over 10M codes it cost 0.3 s, the test of length 0.1 s).
    maybe = pc.fill_null(
        pc.or_(pc.not_equal(pc.utf8_length(codes), 18), pc.starts_with(codes, "0")), False
    )
    if pc.any(maybe).as_py():
        at = np.flatnonzero(np.asarray(maybe, dtype=bool))
        found = pc.fill_null(pc.match_substring_regex(codes.take(pa.array(at)), _NO_CODE), False)
        none = np.zeros(len(codes), dtype=bool)
        none[at[np.asarray(found, dtype=bool)]] = True
        if none.any():
            codes = pc.if_else(pa.array(none), pa.scalar("", pa.string()), codes)
    return codes, pc.fill_null(pc.match_substring_regex(codes, _CODE_FLOAT), False)


def credit_code(value: str | None) -> CreditCode:
    """One credit code normalised (the same rule as credit_codes, which it calls)."""
    codes, numeric = credit_codes(pa.array([value or ""], pa.string()))
    return CreditCode(str(codes[0].as_py()), bool(numeric[0].as_py()))


def period(value: str | None) -> Period | None:
    """The quarter a period cell names (cumulative from January), or None when it names none."""
    cell = text(value)
    return find_period(cell) if cell else None


def printable(value: str) -> str:
    """Text a workbook can hold: control characters removed (the JSON keeps them as received)."""
    return _CONTROL.sub("", value)
