"""Administrative division codes (GB/T 2260): names, and rolling codes up to a level."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from digicons.errors import UsageError
from digicons.resources import data_rows, resource_dir

LEVELS = ("province", "city", "county")
UNKNOWN = "（无有效区划代码）"


@cache
def _regions() -> list[dict[str, str]]:
    """The rows of classification/gbt2260_regions.csv: code, name, level."""
    return data_rows(resource_dir("classification") / "gbt2260_regions.csv")


@cache
def region_names() -> dict[str, str]:
    """Code → name for the divisions the project knows."""
    return {row["code"]: row["name"] for row in _regions()}


@cache
def region_levels() -> dict[str, str]:
    """Code → level (province, city, county) for the divisions the project knows."""
    return {row["code"]: row["level"] for row in _regions()}


@cache
def _codes_by_name() -> dict[str, str | None]:
    """Name → code; None for a name two divisions share (a 朝阳区 of two cities)."""
    found: dict[str, str | None] = {}
    for row in _regions():
        found[row["name"]] = None if row["name"] in found else row["code"]
    return found


def is_region_code(code: str) -> bool:
    """Six ASCII digits: the form of a county's, city's or province's code (GB/T 2260)."""
    return len(code) == 6 and code.isascii() and code.isdigit()


@dataclass(frozen=True)
class Abolished:
    """A division code no longer in force, and the division that holds its area now."""

    code: str
    name: str
    successor: str
    year: str


@cache
def abolished() -> dict[str, Abolished]:
    """Old code → its change, from classification/gbt2260_changes.csv (Beijing's districts and
    counties merged or made districts since 1986): registers keep the code a unit was given."""
    return {
        row["code"]: Abolished(row["code"], row["name"], row["successor"], row["year"])
        for row in data_rows(resource_dir("classification") / "gbt2260_changes.csv")
    }


def named_note(named: dict[str, str]) -> str:
    """The note of a run that read regions written by name as their codes (东城区 → 110101)."""
    shown = "、".join(f"{name} → {code}" for name, code in sorted(named.items()))
    return f"区划代码列写的是名称，已按 GB/T 2260 对应为代码：{shown}"


def abolished_note(codes: Iterable[str]) -> str:
    """The note of a run that read codes of abolished divisions as their successors'."""
    changes = [abolished()[code] for code in sorted(codes)]
    shown = "、".join(
        f"{c.code}（{c.name}，{c.year}年）→ {c.successor} {region_name(c.successor)}"
        for c in changes
    )
    return f"区划代码含已撤销或变更的行政区划，已按现行代码汇总：{shown}"


def code_of_name(text: str) -> str | None:
    """The code of a division written by name, as sheets made by hand give it: 东城区, or with
    its province before it (北京市东城区, 北京东城区); None when the name is no one division's."""
    name = "".join(text.split())
    by_name = _codes_by_name()
    if name in by_name:
        return by_name[name]
    for row in _regions():
        if row["level"] != "province":
            continue
        for prefix in {row["name"], row["name"].removesuffix("市").removesuffix("省")}:
            code = by_name.get(name.removeprefix(prefix)) if name.startswith(prefix) else None
            if code is not None and code[:2] == row["code"][:2]:
                return code
    return None


def region_name(code: str) -> str:
    """The name of a region code; the code itself when unknown."""
    if code == "":
        return UNKNOWN
    return region_names().get(code, code)


# The levels as the help names them in Chinese, beside their keys.
_LEVEL_WORDS = {
    "省级": "province",
    "省": "province",
    "地级": "city",
    "市": "city",
    "县级": "county",
}


def parse_level(text: str) -> str:
    """A --region-level as people type it: province / city / county, any case, or 省级 / 地级 /
    县级."""
    word = text.strip()
    level = _LEVEL_WORDS.get(word, word.lower())
    if level not in LEVELS:
        raise UsageError(
            f"未知的地区级别 '{text}'（unknown region level）",
            hint="可用：province（省级）、city（地级）、county（县级）。",
        )
    return level
