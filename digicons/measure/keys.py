"""Stage 0: every distinct (file, industry code, region, period) as read, judged once.

Industry codes, regions and periods take few distinct values (a few thousand combinations for ten
million rows), so they are normalised, classified and checked here, in Python, once per value, and
the main scan only joins the result. The key-stage rules of `measure.rules` are evaluated here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pyarrow as pa

from digicons.inputs import normalise
from digicons.inputs.headers import normalise_header
from digicons.measure.rules import flag_bit, reason_id
from digicons.period import Period
from digicons.scope.catalogue import Assignment
from digicons.scope.gbt4754 import SPACES
from digicons.scope.regions import is_region_code

_CODE = re.compile(r"[A-Z]?[0-9]{4}")
_LETTERED = re.compile(r"[A-Z][0-9]{4}")

RawKey = tuple[int, str | None, str | None, str | None]  # file, industry, region, period


@dataclass(frozen=True)
class Industry:
    """What an industry code as read means: its class and category, or why it cannot be used."""

    class_code: str | None
    minor: str | None
    partial: bool
    reason: str | None
    padded: bool = False  # a 3-digit code read as its class (0111 for 111)
    written: str | None = None  # code and name as one cell gave them (6421 互联网搜索服务)
    name_mismatch: bool = False  # that name is not the code's in the office's code table


def judge_industry(
    raw: str | None, classes: Mapping[str, Assignment], names: Mapping[str, str] | None = None
) -> Industry:
    """Normalise and classify one industry code as read (e.g. `5292`, ` i6422`, `６４２２`,
    `6422.0`, `111`, `ABCD`, `6421 互联网搜索服务`); `names`, the official names of the classes
    (--codes), to check a name written beside the code."""
    read = normalise.industry_code(raw)
    industry = _classify(read, classes)
    if read.name is None or industry.reason is not None:
        return industry
    official = None if names is None else names.get(industry.class_code or "")
    return replace(
        industry,
        written=f"{read.code} {read.name}",
        name_mismatch=official is not None and _name_key(official) != _name_key(read.name),
    )


def _name_key(name: str) -> str:
    """A name as compared: full-width forms as ASCII, upper case (as codes are read), no spaces
    of any width."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name).upper() if ch not in SPACES)


def _classify(read: normalise.IndustryCode, classes: Mapping[str, Assignment]) -> Industry:
    text = read.code
    if not text:
        return Industry(None, None, False, "industry_code_missing")
    code = text if len(text) == 4 else text[1:] if _LETTERED.fullmatch(text) else None
    assignment = classes.get(code) if code is not None else None
    if read.padded and _touches_scope(text[1:], classes):
        # 391: class 0391 (狩猎和捕捉动物) without its leading zero, or group 391 (计算机制造)?
        # Padding is safe only when the group reading is not digital consumption either.
        return Industry(None, None, False, "industry_code_three_digits", read.padded)
    if assignment is None:
        reason = "industry_code_unknown" if _CODE.fullmatch(text) else "industry_code_malformed"
        return Industry(None, None, False, reason, read.padded)
    if len(text) != 4 and text[0] != assignment.section:
        return Industry(None, None, False, "industry_code_section_mismatch", read.padded)
    return Industry(assignment.class_code, assignment.minor, assignment.partial, None, read.padded)


def _touches_scope(group: str, classes: Mapping[str, Assignment]) -> bool:
    """Whether a class of the group (3 digits) is in the scope, wholly or in part."""
    return any(
        (found := classes.get(f"{group}{digit}")) is not None and found.minor is not None
        for digit in "0123456789"
    )


def region_key(region: str, level: str) -> str:
    """6-digit codes rolled up to XX0000 (province) or XXXX00 (city); anything else unchanged."""
    if not is_region_code(region) or level == "county":
        return region
    return region[:4] + "00" if level == "city" else region[:2] + "0000"


def periods_named(keys: Iterable[RawKey]) -> list[str]:
    """The distinct quarters named by the 报告期 cells (unrecognisable cells are ignored)."""
    found = {normalise.period(period) for _, _, _, period in keys}
    return sorted(p.key for p in found if p is not None)


def unrecognised_periods(keys: Iterable[RawKey]) -> list[str]:
    """The 报告期 texts that name no quarter, as read."""
    return sorted(
        {
            period
            for _, _, _, period in keys
            if period is not None and normalise.text(period) and normalise.period(period) is None
        }
    )


KEYS_SCHEMA = pa.schema(
    [
        ("file_idx", pa.int32()),
        ("industry_code_raw", pa.string()),
        ("region_raw", pa.string()),
        ("period_raw", pa.string()),
        ("key_id", pa.int32()),
        ("class_code", pa.string()),
        ("minor", pa.string()),
        ("partial", pa.bool_()),
        ("region", pa.string()),
        ("region_key", pa.string()),
        ("key_reason", pa.int8()),
        ("key_flags", pa.int32()),
    ]
)


def judge_keys(
    keys: list[RawKey],
    classes: Mapping[str, Assignment],
    period: Period,
    has_region: bool,
    region_level: str,
    headings: Mapping[int, str],
    names: Mapping[str, str] | None = None,
) -> tuple[pa.Table, dict[str, str], set[str], dict[str, bool]]:
    """The `keys` table of the main scan: one row per distinct key, with its verdict; for the
    notes, the regions written by name that it reads as codes (东城区 → 110101), the codes
    of abolished divisions it reads as their successors' (110103 → 110101), and the industry
    codes written with a name (6421 互联网搜索服务 → whether the name is not the code's).

    `headings`: each file's header of its industry-code column (as `normalise_header` gives it);
    a row that has it for an industry code repeats the header (exports joined one under another).
    `names`: the official names of the classes (--codes), to check the names written.
    """
    industries: dict[str | None, Industry] = {}
    # Files whose 报告期 column names a period somewhere: a blank one beside them is flagged.
    dated = {file_idx for file_idx, _, _, period_raw in keys if normalise.text(period_raw)}
    rows: list[dict[str, object]] = []
    named: dict[str, str] = {}
    replaced: set[str] = set()
    written: dict[str, bool] = {}
    for key_id, (file_idx, industry_raw, region_raw, period_raw) in enumerate(keys):
        industry = industries.get(industry_raw)
        if industry is None:
            industry = industries[industry_raw] = judge_industry(industry_raw, classes, names)
        if industry.written is not None:
            written[industry.written] = industry.name_mismatch
        read = normalise.region(region_raw)
        region = read.code
        if read.name is not None:
            named[read.name] = region
        if read.abolished is not None:
            replaced.add(read.abolished)
        reasons = [] if industry.reason is None else [reason_id(industry.reason)]
        heading = headings.get(file_idx)
        if industry.reason is not None and normalise_header(industry_raw or "") == heading:
            reasons.append(reason_id("header_repeated"))
        flags = flag_bit("region_missing") if has_region and region == "" else 0
        if normalise.text(period_raw):
            found = normalise.period(period_raw)
            if found is None:
                reasons.append(reason_id("period_unrecognised"))
            elif found != period:
                reasons.append(reason_id("period_mismatch"))
        elif file_idx in dated:
            flags |= flag_bit("period_missing")
        if region and not is_region_code(region):
            if region.isascii() and region.isdigit():
                # A digit lost or doubled (11010, 1101050): no region of its own in 地区.
                flags |= flag_bit("region_malformed")
                region = ""
            else:
                # Text that names no one division (南城区, 东城区某街道): listed as written.
                flags |= flag_bit("region_unrecognised")
        if industry.padded:
            flags |= flag_bit("industry_code_padded")
        if industry.name_mismatch:
            flags |= flag_bit("industry_code_name_mismatch")
        rows.append(
            {
                "file_idx": file_idx,
                "industry_code_raw": industry_raw,
                "region_raw": region_raw,
                "period_raw": period_raw,
                "key_id": key_id,
                "class_code": industry.class_code,
                "minor": industry.minor,
                "partial": industry.partial,
                "region": region,
                "region_key": region_key(region, region_level) if region else "",
                "key_reason": min(reasons) if reasons else None,
                "key_flags": flags,
            }
        )
    return pa.Table.from_pylist(rows, schema=KEYS_SCHEMA), named, replaced, written


def written_names_note(written: Mapping[str, bool], checked: bool, shown: int = 10) -> str:
    """The note of a run that read industry codes written with their names (`judge_keys`)."""

    def listed(texts: list[str]) -> str:
        more = f"等 {len(texts):,} 种" if len(texts) > shown else ""
        return "、".join(texts[:shown]) + more

    note = f"行业代码带有名称，已按代码归类：{listed(sorted(written))}"
    if not checked:
        return note + "（名称未核对：没有指定行业代码表 --codes）"
    wrong = sorted(text for text, mismatch in written.items() if mismatch)
    if not wrong:
        return note + "（名称与行业代码表相符）"
    return note + f"；其中名称与行业代码表不符（已标记，请核对）：{listed(wrong)}"
