"""The rejected and flagged rows as a person reads them: the 数据质量 sheet and the CSV files."""

from __future__ import annotations

import csv
from pathlib import Path

from digicons.inputs.headers import BY_KEY
from digicons.inputs.sources import RAW_KEYS
from digicons.measure.result import MeasureResult, RowIssue
from digicons.measure.rules import LABELS

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
# OWASP's rule against CSV injection: a spreadsheet runs a cell that starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """A CSV cell a spreadsheet will show, never run: text that could start a formula gets a
    leading apostrophe. (The JSON keeps text as read.)"""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


STATUS_LABELS = {
    "digital": "保留（数字消费）",
    "not_digital": "保留（非数字消费）",
    "rejected": "剔除",
}


def issue_row(issue: RowIssue) -> list[object]:
    """One rejected or flagged row as the 数据质量 sheet and the rejects CSV show it."""
    kept = "" if issue.kept_at is None else f"{issue.kept_at[0].name} 第{issue.kept_at[1]}行"
    return [
        str(issue.file),
        issue.row,
        STATUS_LABELS[issue.status],
        issue.reason or "",
        LABELS[issue.reason] if issue.reason else "",
        kept,
        "；".join(LABELS[f] for f in issue.flags),
        *(issue.values[k] or "" for k in RAW_KEYS),
    ]


def write_rejects_csv(result: MeasureResult, path: Path, *, flagged_too: bool = False) -> None:
    """Every rejected row, and with `flagged_too` every flagged row (UTF-8 with BOM, for Excel)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ISSUE_HEADERS)
        writer.writerows(
            [defuse(v) for v in issue_row(i)]
            for i in result.all_issues()
            if flagged_too or i.status == "rejected"
        )
