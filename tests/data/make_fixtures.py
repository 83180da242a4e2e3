"""Writes the input fixtures of tests/data/ (committed; run again only to change them).

    .venv/bin/pip install xlwt   # a library that writes Excel 97-2003 .xls files
    .venv/bin/python tests/data/make_fixtures.py

The .ods file is converted from an .xlsx by LibreOffice (`soffice --headless --convert-to ods`),
the program that most often writes that format. Every file holds the hand-made quarter of
tests/fixtures.py (13 enterprises) in another shape, or a small case of its own.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tests.fixtures import (  # noqa: E402
    HEADERS,
    ROWS,
    code,
    put,
)

FULL_WIDTH = str.maketrans(
    "0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "０１２３４５６７８９．ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
)


def typed(value: str, column: int) -> object:
    """A cell as a person types it in a spreadsheet: revenue numbers as numbers."""
    if column >= 4 and value.lstrip("-").isdigit():
        return int(value)
    return value or None


def text_lines(delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(ROWS)
    return buffer.getvalue()


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    if book.active is not None:
        book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                put(sheet, r, c, value)  # text stays text, even `=HYPERLINK(...)`
    book.save(path)
    return path


def quarter_rows() -> list[list[object]]:
    return [list(HEADERS), *([typed(v, c) for c, v in enumerate(row)] for row in ROWS)]


def write_xls(path: Path) -> None:
    import xlwt  # only to write this fixture: pip install xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("企业")
    for r, row in enumerate(quarter_rows()):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.save(str(path))


def write_ods(path: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = workbook(Path(folder) / f"{path.stem}.xlsx", {"企业": quarter_rows()})
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "ods", "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
        )
        shutil.copy(Path(folder) / f"{path.stem}.ods", path)


def main() -> None:
    # The hand-made quarter in the shapes exports take.
    (HERE / "quarter.csv").write_text(text_lines(","), encoding="utf-8")
    write_xls(HERE / "quarter.xls")
    write_ods(HERE / "quarter.ods")
    # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-delimited, CRLF.
    (HERE / "quarter_utf16.txt").write_bytes(
        text_lines("\t").replace("\n", "\r\n").encode("utf-16")
    )
    (HERE / "quarter_tab.csv").write_text(text_lines("\t"), encoding="utf-8")
    (HERE / "quarter_semicolon.csv").write_text(text_lines(";"), encoding="utf-8")
    # CR-only line endings (old Mac exports) and no line break after the last row.
    (HERE / "quarter_cr.csv").write_bytes(text_lines(",").rstrip("\n").replace("\n", "\r").encode())
    # Full-width digits and letters in codes, amounts, regions and credit codes.
    wide = [[v.translate(FULL_WIDTH) if c != 1 else v for c, v in enumerate(r)] for r in ROWS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(wide)
    (HERE / "quarter_fullwidth.csv").write_text(buffer.getvalue(), encoding="utf-8")

    # A workbook with a notes sheet before the data, and one with two data sheets.
    workbook(
        HERE / "notes_and_data.xlsx",
        {"填报说明": [["本表为示例"], ["单位：千元"]], "企业": quarter_rows()},
    )
    workbook(HERE / "two_data_sheets.xlsx", {"东城": quarter_rows(), "西城": quarter_rows()})

    # A two-row header: 营业收入 merged over 本期 / 上年同期; the other headers merged down.
    a, b = code("91110105MA0000101"), code("91110105MA0000102")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "企业"
    sheet.append(["统一社会信用代码", "单位详细名称", "行业代码", "营业收入", None])
    sheet.append([None, None, None, "本期", "上年同期"])
    sheet.append([a, "甲", "5292", 1000, 800])
    sheet.append([b, "乙", "6422", 500, 400])
    for cells in ("A1:A2", "B1:B2", "C1:C2", "D1:E1"):
        sheet.merge_cells(cells)
    book.save(HERE / "merged_header.xlsx")
    (HERE / "merged_header.csv").write_text(
        "统一社会信用代码,单位详细名称,行业代码,营业收入,\n"
        ",,,本期,上年同期\n"
        f"{a},甲,5292,1000,800\n{b},乙,6422,500,400\n",
        encoding="utf-8",
    )

    # Revenue as a formula that was never calculated (openpyxl stores no cached value).
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["统一社会信用代码", "单位详细名称", "行业代码", "营业收入", "营业收入上年同期"])
    sheet.append([a, "甲", "5292", 1000, 800])
    sheet.append([b, "乙", "6422", "=D2*2", "=E2/2"])
    book.save(HERE / "formulas.xlsx")

    # Codes and credit codes that went through a number type.
    pq.write_table(
        pa.table(
            {
                "统一社会信用代码": pa.array(
                    [9.11101e17, 9.11101e17, 9.11102e17, 9.11103e17], pa.float64()
                ),
                "单位详细名称": ["甲", "乙", "丙", "丁"],
                "行业代码": pa.array([6422.0, 5292.0, 111.0, 8121.0], pa.float64()),
                "区划代码": pa.array([110105.0, 110105.0, 110108.0, 110108.0], pa.float64()),
                "营业收入": pa.array([10.0, 20.0, 30.0, 40.0], pa.float64()),
            }
        ),
        HERE / "numbers.parquet",
    )
    (HERE / "numbers.csv").write_text(
        "统一社会信用代码,单位详细名称,行业代码,区划代码,营业收入\n"
        "9.11101E+17,甲,6422.0,110105.0,10\n"
        "9.11101E+17,乙,5292.0,110105.0,20\n"
        "9.11102E+17,丙,111,110108.0,30\n"
        "9.11103E+17,丁,8121.0,110108.0,40\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
