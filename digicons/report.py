"""Machine outputs of a measurement: the JSON document and the rejects CSV."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

from digicons.measure import FLAGS, REASONS, Cell, MeasureResult, RowIssue
from digicons.regions import region_name
from digicons.schema import BY_KEY
from digicons.sources import RAW_KEYS

ISSUE_HEADERS = [
    "文件",
    "行号",
    "处理",
    "原因代码",
    "原因",
    "保留的行",
    "质量标记",
    *(BY_KEY[k].label for k in RAW_KEYS),
]
STATUS_LABELS = {
    "digital": "保留（数字消费）",
    "not_digital": "保留（非数字消费）",
    "rejected": "剔除",
}


AMOUNTS = ("revenue", "revenue_prior", "revenue_lower", "revenue_upper")
INDICATORS = ("yoy_pct", "share_pct", "share_change_pp", "pull_pp", "contribution_pct")


def cell_values(result: MeasureResult, cell: Cell) -> dict[str, Decimal | int | None]:
    """A cell's published figures (amounts in the output unit); all None when suppressed."""
    values: dict[str, Decimal | int | None] = {
        "enterprises": cell.enterprises,
        "revenue": result.convert(cell.revenue),
        "revenue_prior": None if cell.revenue_prior is None else result.convert(cell.revenue_prior),
        "yoy_pct": result.yoy_pct(cell),
        "share_pct": result.share_pct(cell),
        "share_change_pp": result.share_change_pp(cell),
        "pull_pp": result.pull_pp(cell),
        "contribution_pct": result.contribution_pct(cell),
    }
    if result.bounds:
        values["revenue_lower"] = result.convert(cell.lower_revenue)
        values["revenue_upper"] = result.convert(cell.upper_revenue)
    if result.is_suppressed(cell):
        return dict.fromkeys(values)
    return values


def _number(value: Decimal | int | None) -> float | int | None:
    if value is None or isinstance(value, int):
        return value
    return float(value)


def _row(result: MeasureResult, cell: Cell) -> dict[str, Any]:
    row: dict[str, Any] = {
        "level": cell.level,
        "code": cell.code,
        "name": cell.name,
        "partial": cell.partial,
    }
    if cell.region is not None:
        row = {"region": cell.region, "region_name": region_name(cell.region), **row}
    row.update({k: _number(v) for k, v in cell_values(result, cell).items()})
    row["suppressed"] = result.is_suppressed(cell)
    return row


def result_json(result: MeasureResult) -> dict[str, Any]:
    """The `--json` document, full precision, amounts in the output unit."""
    rec = result.reconciliation
    reconciliation: dict[str, float | int] = {"rows_read": rec.rows_read}
    reconciliation.update({f"rows_{status}": n for status, n in rec.rows.items()})
    reconciliation["revenue_read"] = float(result.convert(rec.revenue_read))
    reconciliation.update(
        {f"revenue_{status}": float(result.convert(v)) for status, v in rec.revenue.items()}
    )
    comparison = result.comparison
    quarter = result.quarter
    rules = result.disclosure
    return {
        "period": result.period.key,
        "period_label": result.period_label,
        "cumulative": not result.quarter_only,
        "unit": result.unit,
        "input_unit": result.input_unit,
        "partial_treatment": result.treatment.mode,
        "partial": {
            "mode": result.treatment.mode,
            "description": result.treatment.description,
            "file": None if result.treatment.file is None else str(result.treatment.file),
            "rows_without_share": result.without_share,
        },
        "inputs": [str(f.path) for f in result.inputs],
        "code_table": None if result.code_table is None else str(result.code_table),
        "rows": [_row(result, cell) for cell in result.cells],
        "regions": {
            "level": result.region_level,
            "rows": [_row(result, cell) for cell in result.region_cells],
        },
        "comparison": {
            "source": comparison.source,
            "files": [str(f) for f in comparison.files],
            "unmatched_enterprises": comparison.unmatched_enterprises,
            "unmatched_revenue": float(result.convert(comparison.unmatched_revenue)),
            "vanished_enterprises": comparison.vanished_enterprises,
            "vanished_revenue": float(result.convert(comparison.vanished_revenue)),
        },
        "quarter_only": None
        if quarter is None
        else {
            "previous_files": [str(f) for f in quarter.files],
            "enterprises_without_previous": quarter.without_previous,
            "vanished_enterprises": quarter.vanished_enterprises,
            "vanished_revenue": float(result.convert(quarter.vanished_revenue)),
        },
        "disclosure": None
        if rules is None
        else {
            "min_enterprises": rules.min_enterprises,
            "dominance": [rules.dominance_n, float(rules.dominance_k)],
            "suppressed_cells": len(result.suppressed),
        },
        "reconciliation": reconciliation,
        "rejects_by_reason": {
            reason: {"rows": n, "revenue": float(result.convert(revenue))}
            for reason, (n, revenue) in result.rejects_by_reason.items()
        },
        "rows_flagged": result.flagged_rows,
    }


def issue_row(issue: RowIssue) -> list[object]:
    """One rejected or flagged row as the 数据质量 sheet and the rejects CSV show it."""
    kept = "" if issue.kept_at is None else f"{issue.kept_at[0].name} 第{issue.kept_at[1]}行"
    return [
        str(issue.file),
        issue.row,
        STATUS_LABELS[issue.status],
        issue.reason or "",
        REASONS.get(issue.reason or "", ""),
        kept,
        "；".join(FLAGS[f] for f in issue.flags),
        *(issue.values[k] or "" for k in RAW_KEYS),
    ]


def write_rejects_csv(result: MeasureResult, path: Path, *, flagged_too: bool = False) -> None:
    """Every rejected row, and with `flagged_too` every flagged row (UTF-8 with BOM, for Excel)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ISSUE_HEADERS)
        writer.writerows(
            issue_row(i) for i in result.all_issues() if flagged_too or i.status == "rejected"
        )
