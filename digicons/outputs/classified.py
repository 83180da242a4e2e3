"""The classified copy of a file (`classify --file`): CSV or Excel, chosen by suffix."""

from __future__ import annotations

import csv
from pathlib import Path

from digicons.errors import UsageError
from digicons.inputs.files import file_kind
from digicons.outputs.workbook import write_plain_workbook
from digicons.scope.classify import ClassifiedTable


def check_classified_target(target: Path) -> None:
    if file_kind(target) == "parquet":
        raise UsageError(f"{target}: write the classified file as .csv or .xlsx")


def write_classified(table: ClassifiedTable, path: Path, kind: str) -> None:
    """Write to `path` (a temporary file) as `kind`: 'excel' or 'csv'."""
    if kind == "excel":
        write_plain_workbook(path, "分类结果", table.headers, table.rows)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.headers)
        writer.writerows(table.rows)


def write_classified_file(table: ClassifiedTable, target: Path) -> Path:
    """Write the classified table to `target` (.csv or .xlsx), atomically."""
    from digicons.outputs import Output, write_all

    check_classified_target(target)
    kind = file_kind(target)
    write_all([Output(target, "classified", lambda temp: write_classified(table, temp, kind))])
    return target
