"""The classified copy of a file (`classify --file`): CSV or Excel, chosen by suffix; or JSON."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from digicons.errors import UsageError
from digicons.inputs.files import file_kind
from digicons.inputs.headers import match_headers
from digicons.outputs.issues import defuse
from digicons.outputs.workbook import write_plain_workbook
from digicons.scope.classify import ADDED_COLUMNS, ClassifiedTable, answer_to_dict

# A number as a person types it; a leading zero (0111) or more than 15 digits make it a code.
_NUMBER = re.compile(r"-?(0|[1-9][0-9]{0,14})(\.[0-9]+)?")
_CODE_KEYS = ("credit_code", "industry_code", "region", "period")
_ADDED_CODES = ("大类代码", "中类代码", "小类代码")


def check_classified_target(target: Path) -> None:
    if file_kind(target) == "parquet":
        raise UsageError(f"{target}：分类结果请写为 .csv 或 .xlsx（write it as .csv or .xlsx）")


def _typed(table: ClassifiedTable) -> list[list[object]]:
    """Cells for a workbook: numbers as numbers, except in code columns, where text stays."""
    found = match_headers(table.headers[: -len(ADDED_COLUMNS)], {})
    codes = {found[k] for k in _CODE_KEYS if k in found} | {table.code_column}
    codes |= {table.headers.index(h) for h in _ADDED_CODES}
    rows: list[list[object]] = []
    for row in table.rows:
        cells: list[object] = []
        for i, value in enumerate(row):
            if i not in codes and _NUMBER.fullmatch(value):
                cells.append(float(value) if "." in value else int(value))
            else:
                cells.append(value)
        rows.append(cells)
    return rows


def write_classified(table: ClassifiedTable, path: Path, kind: str) -> None:
    """Write to `path` (a temporary file) as `kind`: 'excel' or 'csv'."""
    if kind == "excel":
        write_plain_workbook(path, "分类结果", table.headers, _typed(table))
        return
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([defuse(h) for h in table.headers])
        writer.writerows([defuse(v) for v in row] for row in table.rows)


def write_classified_file(table: ClassifiedTable, target: Path, *, overwrite: bool = False) -> Path:
    """Write the classified table to `target` (.csv or .xlsx), atomically, never over its input."""
    from digicons.outputs import Output, write_all

    check_classified_target(target)
    kind = file_kind(target)
    write_all(
        [Output(target, "classified", lambda temp: write_classified(table, temp, kind))],
        [table.source],
        overwrite=overwrite,
    )
    return target


def classified_json(table: ClassifiedTable) -> list[dict[str, Any]]:
    """One object per row: its line, its cells as read, and its classification."""
    width = len(table.headers) - len(ADDED_COLUMNS)
    return [
        {
            "row": number,
            "values": dict(zip(table.headers[:width], row[:width], strict=True)),
            **answer_to_dict(answer),
        }
        for number, row, answer in zip(table.numbers, table.rows, table.answers, strict=True)
    ]
