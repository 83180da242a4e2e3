"""Machine outputs of a measurement: the JSON document and the rejects CSV."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

from digicons.measure import FLAGS, REASONS, MeasureResult, RowIssue
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


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def result_json(result: MeasureResult) -> dict[str, Any]:
    """The `--json` document, full precision, amounts in the output unit."""
    rows = []
    for cell in result.cells:
        rows.append(
            {
                "level": cell.level,
                "code": cell.code,
                "name": cell.name,
                "partial": cell.partial,
                "enterprises": cell.enterprises,
                "revenue": _number(result.convert(cell.revenue)),
                "revenue_prior": _number(
                    None if cell.revenue_prior is None else result.convert(cell.revenue_prior)
                ),
                "yoy_pct": _number(result.yoy_pct(cell)),
                "share_pct": _number(result.share_pct(cell)),
            }
        )
    rec = result.reconciliation
    reconciliation: dict[str, float | int] = {"rows_read": rec.rows_read}
    reconciliation.update({f"rows_{status}": n for status, n in rec.rows.items()})
    reconciliation["revenue_read"] = float(result.convert(rec.revenue_read))
    reconciliation.update(
        {f"revenue_{status}": float(result.convert(v)) for status, v in rec.revenue.items()}
    )
    return {
        "period": result.period.key,
        "period_label": result.period.label,
        "unit": result.unit,
        "input_unit": result.input_unit,
        "partial_treatment": "full",
        "inputs": [str(f.path) for f in result.inputs],
        "code_table": None if result.code_table is None else str(result.code_table),
        "rows": rows,
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


def write_rejects_csv(result: MeasureResult, path: Path) -> None:
    """Every rejected row (UTF-8 with BOM, so that Excel opens it as such)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ISSUE_HEADERS)
        writer.writerows(issue_row(i) for i in result.issues if i.status == "rejected")
