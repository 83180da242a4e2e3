"""Publication-ready Excel workbooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True)


def put(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write one value; text stays text even when it looks like a formula (`=HYPERLINK(...)`)."""
    cell: Cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def write_plain_workbook(
    path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """One sheet: a bold, frozen header row and the rows beneath it."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for col, header in enumerate(headers, start=1):
        put(sheet, 1, col, header).font = HEADER_FONT
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            put(sheet, r, col, value)
    sheet.freeze_panes = "A2"
    workbook.save(path)
