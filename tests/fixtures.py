"""A hand-made quarter of 13 enterprises whose every figure is computed by hand in the tests."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from digicons.measure.creditcode import check_character

HEADERS = [
    "统一社会信用代码",
    "单位详细名称",
    "行业代码",
    "区划代码",
    "营业收入",
    "营业收入上年同期",
]


def code(body: str) -> str:
    """A valid credit code from its first 17 characters."""
    return body + check_character(body)


A = code("91110105MA0000001")
ROWS: list[list[str]] = [
    # credit code, name, industry, region, revenue (千元), prior
    [A, "甲互联网零售", "5292", "110105", "1000", "800"],  # 2  40202
    [code("91110105MA0000002"), "乙百货", "5211", "110105", "2000", "1000"],  # 3  50602 *
    [code("91110108MA0000003")[:17] + "0", "丙电脑维修", "8121", "110108", "500", "400"],
    [code("91110108MA0000004"), "丁家政", "8011", "", "300", "300"],  # 5  50907 *
    [code("91110101MA0000005"), "", "7010", "110101", "200", ""],  # 6  50904 *
    [code("91110101MA0000006"), "己通信设备", "3921", "110101", "700", "600"],  # 7  not digital
    [A, "甲（重复）", "5292", "110105", "999", "1"],  # 8  duplicate
    [code("91110102MA0000008"), "辛", "ABCD", "110102", "50", ""],  # 9  malformed
    [code("91110102MA0000009"), "壬", "", "110102", "60", ""],  # 10 missing code
    [code("91110102MA0000010"), "癸", "5273", "110102", "n/a", ""],  # 11 not numeric
    [code("91110106MA0000011"), '=HYPERLINK("http://x","游戏")', "I6422 ", "110106", "100", "0"],
    [code("91110106MA0000012"), "退货多", "5292", "110106", "-10", "20"],  # 13 40202
    [code("91110106MA0000013"), "错门类", "A6422", "110106", "40", ""],  # 14 mismatch
]


def put(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write one value with openpyxl; text stays text even when it looks like a formula."""
    cell: Cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def write_csv(path: Path, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)
    return path


def write_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for c, header in enumerate(HEADERS, start=1):
        put(sheet, 1, c, header)
    for r, row in enumerate(ROWS, start=2):
        for c, value in enumerate(row, start=1):
            # Revenue as real numbers where it is one, as a person would type it in Excel.
            number = value.lstrip("-").isdigit() and c >= 5
            put(sheet, r, c, int(value) if number else (value or None))
    book.save(path)
    return path


def write_parquet(path: Path) -> Path:
    columns = {h: [row[i] or None for row in ROWS] for i, h in enumerate(HEADERS)}
    pq.write_table(pa.table(columns), path)
    return path


def measure_args(path: Path, *extra: str) -> list[str]:
    """`digicons measure` of one file for 2024Q3, its workbook beside it, plus `extra`."""
    return ["measure", str(path), "-p", "2024Q3", "-o", str(path.parent / "t.xlsx"), *extra]


def sheets_book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A workbook of one sheet per entry (a sheet per district), rows as given."""
    book = openpyxl.Workbook()
    default = book.active
    assert default is not None
    book.remove(default)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path
