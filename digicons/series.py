"""How the categories moved over the quarters: the JSON results of several `measure` runs side by
side, with the single quarter derived from consecutive cumulative results of a year.

The results must be comparable: the same scope, unit, treatment of partial industries and
confidentiality settings, all cumulative, one per period. Suppressed cells stay suppressed in
every figure derived from them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from digicons.errors import InputError
from digicons.measure.partial import DESCRIPTIONS
from digicons.period import Period, parse_period


@dataclass(frozen=True)
class Loaded:
    """One `measure` result, as its JSON gives it."""

    path: Path
    period: Period
    document: dict[str, Any]


@dataclass(frozen=True)
class Value:
    """One cell in one period."""

    period: str
    revenue: float | None  # cumulative, in the unit of the results
    yoy_pct: float | None
    quarter_revenue: float | None  # the single quarter; None when it cannot be derived
    suppressed: bool  # the cell is suppressed in this period
    quarter_suppressed: bool  # its single quarter derives from a suppressed cell


@dataclass(frozen=True)
class SeriesRow:
    level: str
    code: str
    name: str
    parent: str | None
    partial: bool
    values: list[Value]


@dataclass
class Series:
    periods: list[Period]
    labels: list[str]  # 2024年1-3季度, ...
    unit: str
    scope_name: str
    scope_source: str
    treatment: str
    rows: list[SeriesRow]
    files: list[Path]
    notes: list[str] = field(default_factory=list)
    confidential: bool = False


def load(path: Path) -> Loaded:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        period = parse_period(str(document["period"]))
        document["rows"], document["unit"]
    except FileNotFoundError:
        raise InputError(f"{path}：文件不存在（no such file）") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(
            f"{path}：不是 digicons measure 的 JSON 结果（not a measure result: {exc}）",
            hint="请用 digicons measure … --json FILE 生成各期结果。",
        ) from exc
    return Loaded(path, period, document)


def _settings(document: dict[str, Any]) -> dict[str, Any]:
    """What must agree between the results of a series."""
    disclosure = document.get("disclosure")
    return {
        "单位（unit）": document["unit"],
        "范围（scope）": document.get("scope"),
        # The treatment, in words; not its file: each quarter may bring its own shares or list.
        "部分行业处理（partial treatment）": DESCRIPTIONS.get(_mode(document), _mode(document)),
        "保密设置（confidentiality）": "未作保密处理"
        if disclosure is None
        else _confidentiality(disclosure),
    }


def _mode(document: dict[str, Any]) -> str:
    return str((document.get("partial") or {}).get("mode") or document.get("partial_treatment"))


def _treatment(results: list[Loaded]) -> str:
    """The treatment for the series' note: its words, and the name of each period's file (once
    when every period used the same)."""
    words = DESCRIPTIONS.get(_mode(results[0].document), "")
    files = {r.period.key: (r.document.get("partial") or {}).get("file") for r in results}
    named = {period: Path(file).name for period, file in files.items() if file}
    if not named:
        return words
    if len(set(named.values())) == 1 and len(named) == len(files):
        return f"{words}（{next(iter(named.values()))}）"
    return f"{words}（{'；'.join(f'{p}：{f}' for p, f in sorted(named.items()))}）"


def _confidentiality(disclosure: dict[str, Any]) -> str:
    """The settings of --confidential in words, compared between results as they read."""
    n, k = disclosure.get("dominance") or (None, None)
    return (
        f"最少 {disclosure.get('min_enterprises')} 家企业，前 {n} 家合计不超过 {k}%，"
        f"保护 {disclosure.get('protection_pct')}%"
    )


def check(results: list[Loaded]) -> None:
    """Refuse results that cannot stand side by side, naming the files."""
    if not results:
        raise InputError("没有给出 measure 的 JSON 结果（no results given）")
    first = results[0]
    for result in results:
        if result.document.get("cumulative") is False:
            raise InputError(
                f"{result.path}：是单季结果（--quarter-only），序列需要累计结果"
                "（a single-quarter result: the series derives quarters from cumulative ones）"
            )
    reference = _settings(first.document)
    for result in results[1:]:
        for name, value in _settings(result.document).items():
            if value != reference[name]:
                raise InputError(
                    f"{result.path} 与 {first.path} 的{name}不同：{value} ≠ {reference[name]}"
                    "（the results do not share their settings）",
                    hint="一个序列中的各期结果须用相同的单位、范围、部分行业处理和保密设置测算。",
                )
    seen: dict[Period, Path] = {}
    for result in results:
        if result.period in seen:
            raise InputError(
                f"{result.path} 与 {seen[result.period]} 是同一期（{result.period.key}）"
                "（two results of the same period）"
            )
        seen[result.period] = result.path


def build(paths: list[Path]) -> Series:
    """The series of the results at `paths`, ordered by period."""
    results = sorted((load(p) for p in paths), key=lambda r: r.period)
    check(results)
    periods = [r.period for r in results]
    by_period = {
        r.period: {(row["level"], row["code"]): row for row in r.document["rows"]} for r in results
    }
    first = results[0].document
    notes = []
    for period in periods:
        before = period.previous()
        if period.quarter > 1 and before not in by_period:
            notes.append(
                f"{period.key} 的单季数需要 {before.key} 的累计数，未提供，故空缺"
                f"（the single quarter of {period.key} needs {before.key}）"
            )
    rows = []
    for template in first["rows"]:
        key = (template["level"], template["code"])
        values = []
        for period in periods:
            row = by_period[period].get(key)
            values.append(_value(period, row, by_period.get(period.previous())))
        rows.append(
            SeriesRow(
                template["level"],
                template["code"],
                template["name"],
                template.get("parent"),
                bool(template.get("partial")),
                values,
            )
        )
    return Series(
        periods=periods,
        labels=[str(r.document.get("period_label") or r.period.label) for r in results],
        unit=str(first["unit"]),
        scope_name=str((first.get("scope") or {}).get("name") or "数字消费"),
        scope_source=str((first.get("scope") or {}).get("source") or ""),
        treatment=_treatment(results),
        rows=rows,
        files=[r.path for r in results],
        notes=notes,
        confidential=first.get("disclosure") is not None,
    )


def _value(
    period: Period,
    row: dict[str, Any] | None,
    previous: dict[tuple[str, str], dict[str, Any]] | None,
) -> Value:
    if row is None:
        return Value(period.key, None, None, None, False, False)
    suppressed = bool(row.get("suppressed"))
    revenue = None if suppressed else row.get("revenue")
    yoy = None if suppressed else row.get("yoy_pct")
    if period.quarter == 1:  # the first quarter is its own single quarter
        return Value(period.key, revenue, yoy, revenue, suppressed, suppressed)
    before = None if previous is None else previous.get((row["level"], row["code"]))
    if before is None:  # the previous quarter was not given: a gap
        return Value(period.key, revenue, yoy, None, suppressed, suppressed)
    hidden = suppressed or bool(before.get("suppressed"))
    quarter = None
    if not hidden and revenue is not None and before.get("revenue") is not None:
        # The published decimals, subtracted exactly (floats would leave 397160.69999999995).
        quarter = float(Decimal(str(revenue)) - Decimal(str(before["revenue"])))
    return Value(period.key, revenue, yoy, quarter, suppressed, hidden)
