"""Issue 12: tables a bureau can print and publish as they are.

Checked on the workbook's own cells and print settings (read back with openpyxl), and, when
LibreOffice is installed, on the pages it prints.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from digicons.cli import app
from digicons.outputs.style import LANDSCAPE_WIDTH, WIDE_SCALE, Column, Table, page_breaks
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


def wide_pages(sheet: Worksheet) -> list[tuple[int, int]]:
    """(first, last) figure columns (1-based) of each page a wide sheet prints on, beside the
    code and name columns it repeats (a column break's id is the count of columns before it)."""
    starts = [3, *(brk.id + 1 for brk in sheet.col_breaks.brk)]
    return list(zip(starts, [*(s - 1 for s in starts[1:]), sheet.max_column], strict=True))


def test_a_wide_table_sets_its_text_on_every_page_it_prints_on(demo: Path) -> None:
    """Text merged across a page's edge (or the repeated columns' edge) prints cut: the 统计期
    line and the notes used to stop at the name column on every page after the first."""
    book = openpyxl.load_workbook(demo)
    sheet = book["地区×中类"]
    assert sheet.print_title_cols == "$A:$B"
    pages = wide_pages(sheet)
    assert len(pages) == 5  # 22 mediums: 5, 5, 4, 4 and 4 to a page
    for merged in sheet.merged_cells.ranges:
        if (merged.min_row, merged.min_col) == (1, 1):
            continue  # the first page's title, centred clear of the repeated columns (see render)
        inside = merged.max_col <= 2 or any(
            first <= merged.min_col and merged.max_col <= last for first, last in pages
        )
        assert inside, merged.coord
    # The 统计期 line sits in the repeated columns, wrapped in a row tall enough for it.
    assert sheet["A2"].value == "统计期：2024年1-3季度（2024Q3，累计）"
    assert sheet["A2"].alignment.wrap_text and sheet.row_dimensions[2].height == 30
    # A group header too long for its two columns wraps in a row tall enough for two lines.
    assert sheet["S3"].value == "302 电信、广播电视和卫星传输服务"
    assert sheet.row_dimensions[3].height == 30
    # The notes as the 地区 sheet (one page wide) has them, under every page's figures, the
    # labels 注 and 资料来源 in the repeated columns.
    expected = [str(c.value) for c in book["地区"]["A"] if str(c.value).startswith(("注", "资料"))]
    assert len(expected) == 5
    rows = [c.row for c in sheet["A"] if c.value in ("注：", "资料来源：")]
    first_note = rows[0]
    rows = list(range(first_note, first_note + len(expected)))
    assert [sheet.cell(r, 1).value for r in rows] == ["注：", None, None, None, "资料来源："]
    bodies = [text.split("：", 1)[1] for text in expected]
    for number, (first, _) in enumerate(pages):
        assert [sheet.cell(r, first).value for r in rows] == bodies, first
        assert sheet.cell(2, first).value == "计量单位：万元"
        if number:
            assert sheet.cell(1, first).value == f"{sheet['A1'].value}（续）"


def test_region_sheets_explain_their_star_and_only_the_figures_they_show(demo: Path) -> None:
    # Their headers mark partial categories (303 互联网相关服务*), but the note saying what *
    # means was left out; and the growth note explained 占比变动、拉动 and 贡献率, columns they
    # do not have.
    book = openpyxl.load_workbook(demo)
    for title in ("地区", "地区×中类"):
        sheet = book[title]
        assert any(str(c.value).endswith("*") for c in sheet[3] if c.value), title
        column = 1 if title == "地区" else 3  # the wide sheet's notes: under each page's figures
        notes = " ".join(str(c.value) for c in sheet[openpyxl.utils.get_column_letter(column)])
        assert "* 表示该类别所含行业只有部分属于数字消费" in notes, title
        assert "同比增长 = 同口径本期营业收入 ÷ 上年同期营业收入 − 1" in notes, title
        assert "拉动" not in notes and "贡献率" not in notes, title
    # The total includes the partial industries: marked as on the category sheets (合计*).
    assert book["大类"].cell(header_row(book["大类"]) + 1, 2).value == "合计*"
    assert book["地区"]["C3"].value == "数字消费合计*"


def wide_table(widths: list[float]) -> Table:
    """A table of two repeated columns (23 wide) and one group per width, of one column each."""
    columns = [Column("区划代码", 9, "code"), Column("地区", 14)]
    columns += [Column("营业收入", w, "money") for w in widths]
    groups = [("", 2), *((f"{i}", 1) for i in range(len(widths)))]
    return Table("t", "p", "u", columns, [], groups=groups, repeat=2)


ROOM = LANDSCAPE_WIDTH * 100 / WIDE_SCALE - 23  # what a page holds beside the repeated columns


def page_widths(widths: list[float]) -> list[float]:
    edges = [2, *page_breaks(wide_table(widths)), 2 + len(widths)]
    return [sum(widths[a - 2 : b - 2]) for a, b in itertools.pairwise(edges)]


def test_a_wide_table_breaks_into_pages_of_even_width() -> None:
    # 22 mediums of 20 used to print 5, 5, 5, 5 and a last page of 2 whose title was cut.
    assert page_widths([20] * 22) == [100, 100, 80, 80, 80]
    assert page_widths([20] * 8) == [80, 80]  # not 100 and 60
    assert page_breaks(wide_table([20] * 8)) == (2 + 4,)
    assert page_widths([20] * 6) == [120]  # 143 wide: one landscape page, fitted to its width


def test_a_wide_title_too_long_to_clear_the_repeated_columns_starts_beside_them(
    tmp_path: Path,
) -> None:
    # Centred over the whole first page, a long title would reach into the code and name columns
    # and show, cut, on every later page: it is set over the figure columns instead, and wraps
    # where a later page is too narrow for it.
    from digicons.outputs.style import Row, new_workbook, write_table

    def first_title(title: str) -> tuple[str, float | None]:
        table = wide_table([20] * 8)
        table.title = title
        table.rows = [Row(["1", "a", *[1.0] * 8])]
        path = tmp_path / "t.xlsx"
        with new_workbook(path) as styles:
            write_table(styles.workbook.add_worksheet("s"), styles, table)
        sheet = openpyxl.load_workbook(path)["s"]
        (merged,) = [m for m in sheet.merged_cells.ranges if m.min_row == 1 and m.max_col <= 6]
        return merged.coord, sheet.row_dimensions[1].height

    assert first_title("短标题") == ("A1:F1", 24)  # pages of 4 groups: columns C-F, then G-J
    assert first_title("长" * 30) == ("C1:F1", 48)  # 60 cells at 14 points: two lines of 80


@given(st.lists(st.floats(min_value=1, max_value=ROOM * 1.2), min_size=6, max_size=40))
def test_wide_pages_are_as_few_as_the_room_allows(widths: list[float]) -> None:
    pages = page_widths(widths)
    if not page_breaks(wide_table(widths)):
        return
    assert sum(pages) == pytest.approx(sum(widths))
    # No page holds more than the room, save a group wider than it alone.
    edges = [2, *page_breaks(wide_table(widths)), 2 + len(widths)]
    for a, b in itertools.pairwise(edges):
        assert sum(widths[a - 2 : b - 2]) <= ROOM or b - a == 1
    # As few pages as filling each page in turn takes.
    fewest, used = 1, 0.0
    for width in widths:
        if used and used + width > ROOM:
            fewest, used = fewest + 1, 0.0
        used += width
    assert len(pages) == fewest


@pytest.fixture(scope="module")
def printed(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The demo workbook's pages as LibreOffice prints them, as text."""
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip(
            "LibreOffice (soffice) and poppler-utils (pdftotext) are not installed: "
            "apt-get install libreoffice-calc fonts-noto-cjk poppler-utils"
        )
    folder = tmp_path_factory.mktemp("printed")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(demo)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(folder / f"{demo.stem}.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")


MARKERS = {
    "按大类": "大类",
    "按中类": "中类",
    "按小类": "小类",
    "按地区和大类": "地区",
    "按地区和中类": "地区×中类",
    "说明": "说明",
}


def sheet_of(page: str) -> str | None:
    """The sheet a printed page belongs to, by the title every page repeats."""
    for marker, sheet in MARKERS.items():
        if re.search(rf"{marker}[）)]|^\s*{marker}\s*$", page, re.MULTILINE):
            return sheet
    return None


def test_printed_page_counts(printed: list[str], demo: Path) -> None:
    pages: dict[str, int] = {}
    for page in printed:
        sheet = sheet_of(page)
        if sheet is not None:
            pages[sheet] = pages.get(sheet, 0) + 1
    assert pages["大类"] == 1
    assert 1 <= pages["中类"] <= 2
    assert 1 <= pages["小类"] <= 3
    assert 1 <= pages["说明"] <= 2
    assert pages["地区"] >= 1 and pages["地区×中类"] == 5
    text = "\f".join(printed)
    # No header cut at a page edge: every medium's group header prints whole on some page.
    sheet = openpyxl.load_workbook(demo)["地区×中类"]
    groups = [str(c.value) for c in sheet[3] if c.value]
    assert len(groups) == 22
    for group in groups:
        code, name = group.split(" ", 1)
        assert re.search(rf"{code}\s+{re.escape(name[:4])}", text), group


def test_every_page_of_a_wide_table_prints_its_period_unit_and_notes_whole(
    printed: list[str], demo: Path
) -> None:
    """What each page carries. pdftotext reports text a cell's edge cuts as if it printed whole:
    that nothing is cut is proven from the cells (test above) and by looking (`make render`)."""
    title = str(openpyxl.load_workbook(demo)["地区×中类"]["A1"].value)
    pages = [page for page in printed if sheet_of(page) == "地区×中类"]
    assert len(pages) == 5
    for number, page in enumerate(pages):
        flat = re.sub(r"\s+", "", page)
        # (its two lines may come out beside the 计量单位 line's text)
        assert "统计期：2024年1-3季度" in flat and "（2024Q3，累计）" in flat, number
        assert "计量单位：万元" in flat, number
        assert "注：1.地区按区划代码（GB/T2260）县级汇总；未知代码按原代码列示。" in flat, number
        assert "“—”表示无上年同期数据或基数不为正，无法计算。" in flat, number
        assert flat.endswith("行业代码为GB/T4754-2017。第" + f"{7 + number}页共13页"), number
        assert (f"{title}（续）" in flat) == (number > 0), number
