"""Issue 12: tables a bureau can print and publish as they are.

Checked on the workbook's own cells and print settings (read back with openpyxl), and, when
LibreOffice is installed, on the pages it prints.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from digicons.cli import app
from tests import fixtures

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample"
runner = CliRunner()
TABLES = ("大类", "中类", "小类", "地区", "地区×中类")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workbook: the bundled sample quarter, as `make demo` measures it."""
    out = tmp_path_factory.mktemp("print") / "tables.xlsx"
    result = runner.invoke(app, ["measure", str(SAMPLE), "-p", "2024Q3", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


def header_row(sheet: Worksheet) -> int:
    """The last header row: the row above the first body row (the total)."""
    for row in range(1, 8):
        if sheet.cell(row + 1, 2).value in ("合计*", "合计", "全部地区"):
            return row
    raise AssertionError(f"no header found on {sheet.title}")


def test_every_sheet_prints_on_a4_with_titles_repeated_and_page_numbers(demo: Path) -> None:
    book = openpyxl.load_workbook(demo)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.paperSize == 9, sheet.title  # A4
        assert "第 &P 页 共 &N 页" in sheet.oddFooter.center.text, sheet.title
        assert sheet.print_title_rows, sheet.title
    for title in (*TABLES, "说明"):
        sheet = book[title]
        assert sheet.print_area, title
        if title == "地区×中类":  # too wide: across pages, code and name columns repeated
            assert sheet.print_title_cols == "$A:$B"
            assert sheet.col_breaks.count > 0
        else:  # one page wide, as many pages tall as it takes
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
            # OOXML leaves out fitToWidth when it is 1, its default.
            assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0), title
    assert book["大类"].page_setup.orientation == "landscape"
    assert book["说明"].page_setup.orientation == "portrait"


def test_three_line_rules_and_centred_wrapped_headers(demo: Path) -> None:
    book = openpyxl.load_workbook(demo)
    for title in TABLES:
        sheet = book[title]
        header = header_row(sheet)
        last = header + 1
        while sheet.cell(last + 1, 1).value is not None or sheet.cell(last + 1, 2).value:
            last += 1
            if str(sheet.cell(last, 1).value or "").startswith("注"):
                last -= 1
                break
        top = header - 1 if title.startswith("地区") else header  # a group row above
        for column in range(1, sheet.max_column + 1):
            assert sheet.cell(top, column).border.top.style == "thick", (title, column)
            cell = sheet.cell(header, column)
            assert cell.border.bottom.style == "thin", (title, column)
            assert cell.alignment.horizontal == "center" and cell.alignment.wrap_text
            assert sheet.cell(last, column).border.bottom.style == "thick", (title, column)


def test_every_cell_names_its_font(demo: Path) -> None:
    book = openpyxl.load_workbook(demo)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(max_row=min(sheet.max_row, 200)):
            for cell in row:
                if cell.value is None:
                    continue
                name = cell.font.name
                if isinstance(cell.value, int | float):
                    assert name == "Times New Roman", (sheet.title, cell.coordinate)
                    assert cell.alignment.horizontal == "right"
                else:
                    assert name in ("宋体", "Times New Roman", "Consolas"), (
                        sheet.title,
                        cell.coordinate,
                        name,
                    )


def test_figures_have_thousands_separators_and_fixed_decimals(demo: Path) -> None:
    sheet = openpyxl.load_workbook(demo)["大类"]
    row = header_row(sheet) + 1  # the total
    formats = [sheet.cell(row, column).number_format for column in range(3, 12)]
    assert formats == ["#,##0", *["#,##0.00"] * 3, "0.0", "0.0", "0.00", "0.00", "0.0"]


def test_growth_can_be_checked_from_the_printed_cells(demo: Path) -> None:
    book = openpyxl.load_workbook(demo)
    checked = 0
    for title in ("大类", "中类", "小类"):
        sheet = book[title]
        headers = [str(c.value).replace("\n", "") for c in sheet[header_row(sheet)]]
        comparable = headers.index("同口径本期营业收入")
        prior = headers.index("上年同期营业收入")
        growth = headers.index("同比增长（%）")
        for row in sheet.iter_rows(min_row=header_row(sheet) + 1):
            now, before, pct = row[comparable].value, row[prior].value, row[growth].value
            if isinstance(before, int | float) and before > 0:
                assert isinstance(now, int | float) and isinstance(pct, int | float)
                # 同比 = 同口径本期 ÷ 上年同期 − 1, to the precision printed.
                assert (now / before - 1) * 100 == pytest.approx(pct, abs=0.05 + 0.01 / before)
                checked += 1
    assert checked > 80


def test_hierarchy_is_visible(demo: Path) -> None:
    sheet = openpyxl.load_workbook(demo)["中类"]
    first = header_row(sheet) + 1
    rows = list(sheet.iter_rows(min_row=first, max_row=first + 7))
    # 合计, then 大类 1 in bold with its mediums indented below it.
    assert [r[0].value for r in rows[:6]] == [None, "1", "101", "102", "103", "104"]
    assert rows[1][1].font.bold and not rows[2][1].font.bold
    assert rows[2][1].alignment.indent == 1 and rows[1][1].alignment.indent == 0


def test_suppressed_and_not_computable_have_their_own_symbols(tmp_path: Path) -> None:
    path = fixtures.write_csv(tmp_path / "q.csv")
    out = tmp_path / "t.xlsx"
    result = runner.invoke(
        app, ["measure", str(path), "-p", "2024Q3", "-o", str(out), "--confidential"]
    )
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out)["小类"]
    values = [c for row in sheet.iter_rows(min_row=4) for c in row if c.value in ("×", "—")]
    assert {c.value for c in values} == {"×", "—"}
    assert all(c.alignment.horizontal == "right" for c in values)
    notes = " ".join(str(c.value) for c in sheet["A"] if c.value)
    assert "“×”" in notes and "“—”" in notes


def test_the_chart_has_a_title_and_a_unit(demo: Path) -> None:
    with zipfile.ZipFile(demo) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "营业收入（按大类）" in chart and "营业收入（万元）" in chart
    assert 'formatCode="#,##0"' in chart


def rendered_pages(workbook: Path, folder: Path) -> dict[str, int]:
    """Pages per sheet as LibreOffice prints the workbook (each page repeats its sheet's title)."""
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = folder / f"{workbook.stem}.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    counts: dict[str, int] = {}
    markers = {
        "按大类": "大类",
        "按中类": "中类",
        "按小类": "小类",
        "按地区和大类": "地区",
        "按地区和中类": "地区×中类",
        "说明": "说明",
    }
    for page in text.split("\f"):
        for marker, sheet in markers.items():
            if re.search(rf"{marker}[）)]|^\s*{marker}\s*$", page, re.MULTILINE):
                counts[sheet] = counts.get(sheet, 0) + 1
                break
    return counts


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are not installed: "
    "apt-get install libreoffice-calc fonts-noto-cjk poppler-utils",
)
def test_printed_page_counts(demo: Path, tmp_path: Path) -> None:
    pages = rendered_pages(demo, tmp_path)
    assert pages["大类"] == 1
    assert 1 <= pages["中类"] <= 2
    assert 1 <= pages["小类"] <= 3
    assert 1 <= pages["说明"] <= 2
    assert pages["地区"] >= 1 and pages["地区×中类"] >= 1
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "tables.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # No header cut at a page edge: every medium's group header prints whole on some page.
    sheet = openpyxl.load_workbook(demo)["地区×中类"]
    groups = [str(c.value) for c in sheet[3] if c.value]
    assert len(groups) == 22
    for group in groups:
        code, name = group.split(" ", 1)
        assert re.search(rf"{code}\s+{re.escape(name[:4])}", text), group
