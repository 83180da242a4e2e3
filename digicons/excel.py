"""Publication-ready Excel workbooks."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from digicons.measure import REASONS, MeasureResult

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


MONEY = "#,##0.00"
COUNT = "#,##0"
PCT = "0.0"
TABLE_HEADERS = ("代码", "名称", "企业数(家)", "营业收入", "上年同期", "同比增长(%)", "占比(%)")
SHEETS = {"major": "大类", "medium": "中类", "minor": "小类"}
EXCEL_MAX_ROWS = 1_048_576
SOURCE_NOTE = (
    "资料来源：企业营业收入数据；数字消费范围依据《北京数字消费发展白皮书（2021）》附录1"
    "（取自国家统计局《数字经济及其核心产业统计分类（2021）》），行业代码为 GB/T 4754-2017。"
)
PARTIAL_NOTE = "* 该类别所含行业只有部分属于数字消费；本表按全行业计入（上限口径）。"


def _round(value: Decimal | None, places: int) -> float | None:
    return None if value is None else float(round(value, places))


def write_workbook(result: MeasureResult, path: Path) -> None:
    """The publication workbook: 大类, 中类, 小类, 说明, 数据质量, and a chart of the majors."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for level, title in SHEETS.items():
        sheet = workbook.create_sheet(title)
        end = _category_sheet(sheet, result, level)
        if level == "major":
            _major_chart(sheet, end)
    _notes_sheet(workbook.create_sheet("说明"), result)
    _quality_sheet(workbook.create_sheet("数据质量"), result)
    workbook.save(path)


def _category_sheet(sheet: Worksheet, result: MeasureResult, level: str) -> int:
    """Write one table; return the last data row."""
    put(sheet, 1, 1, f"{result.period.label}数字消费企业营业收入（按{SHEETS[level]}）").font = Font(
        bold=True, size=14
    )
    put(
        sheet,
        2,
        1,
        f"单位：{result.unit}；统计期：{result.period.label}（{result.period.key}，累计）",
    )
    for col, header in enumerate(TABLE_HEADERS, start=1):
        put(sheet, 4, col, header).font = HEADER_FONT
    cells = [result.total, *result.level(level)]
    for r, cell in enumerate(cells, start=5):
        name = ("合计" if cell.level == "total" else cell.name) + ("*" if cell.partial else "")
        values: list[tuple[object, str | None]] = [
            (cell.code, None),
            (name, None),
            (cell.enterprises, COUNT),
            (_round(result.convert(cell.revenue), 2), MONEY),
            (
                None
                if cell.revenue_prior is None
                else _round(result.convert(cell.revenue_prior), 2),
                MONEY,
            ),
            (_round(result.yoy_pct(cell), 1), PCT),
            (_round(result.share_pct(cell), 1), PCT),
        ]
        for col, (value, fmt) in enumerate(values, start=1):
            target = put(sheet, r, col, "—" if value is None and col >= 5 else value)
            if fmt:
                target.number_format = fmt
            if cell.level == "total":
                target.font = HEADER_FONT
    end = 4 + len(cells)
    notes = [
        PARTIAL_NOTE,
        "同比增长按有上年同期数据的企业计算（同口径）；“—”表示无上年同期数据或基数不为正。",
        "占比为该类别营业收入占数字消费营业收入合计的比重。",
        SOURCE_NOTE,
    ]
    for offset, note in enumerate(notes, start=2):
        put(sheet, end + offset, 1, note)
    sheet.freeze_panes = "A5"
    for letter, width in zip("ABCDEFG", (10, 34, 12, 18, 18, 13, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    return end


def _major_chart(sheet: Worksheet, end: int) -> None:
    chart = BarChart()
    chart.type = "bar"
    chart.title = "数字消费营业收入（按大类）"
    chart.legend = None
    data = Reference(sheet, min_col=4, min_row=6, max_row=end)
    labels = Reference(sheet, min_col=2, min_row=6, max_row=end)
    chart.add_data(data, titles_from_data=False)
    chart.set_categories(labels)
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, "I4")


def _notes_sheet(sheet: Worksheet, result: MeasureResult) -> None:
    rec = result.reconciliation
    conv = result.convert
    lines: list[tuple[object, ...]] = [
        ("统计期", f"{result.period.label}（{result.period.key}）"),
        ("金额单位", f"表中为{result.unit}；输入数据为{result.input_unit}"),
        ("部分行业（*）处理方式", "全部计入（full，上限口径）"),
        (
            "行业代码表",
            str(result.code_table) if result.code_table else "未指定（接受所有存在大类的4位代码）",
        ),
        ("数字消费范围", SOURCE_NOTE),
        (),
        ("输入文件", "格式/编码"),
        *((str(f.path), f.encoding or f.kind) for f in result.inputs),
        (),
        ("核对（行数与营业收入全部可追溯）", "行数", f"营业收入（{result.unit}）"),
        ("读取", rec.rows_read, _round(conv(rec.revenue_read), 2)),
        ("数字消费", rec.rows["digital"], _round(conv(rec.revenue["digital"]), 2)),
        ("非数字消费", rec.rows["not_digital"], _round(conv(rec.revenue["not_digital"]), 2)),
        ("剔除", rec.rows["rejected"], _round(conv(rec.revenue["rejected"]), 2)),
        (),
        ("剔除原因", "行数", f"营业收入（{result.unit}）"),
        *((REASONS[k], n, _round(conv(v), 2)) for k, (n, v) in result.rejects_by_reason.items()),
        (),
        ("有质量标记的保留行", result.flagged_rows, ""),
    ]
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line, start=1):
            put(sheet, r, c, value)
            if c == 1 and (value in ("输入文件", "剔除原因") or str(value).startswith("核对")):
                sheet.cell(r, c).font = HEADER_FONT
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 20


def _quality_sheet(sheet: Worksheet, result: MeasureResult) -> None:
    from digicons.report import ISSUE_HEADERS, issue_row  # avoids an import cycle

    room = EXCEL_MAX_ROWS - 2
    put(
        sheet,
        1,
        1,
        f"剔除 {result.reconciliation.rows['rejected']} 行；"
        f"有质量标记的保留行 {result.flagged_rows} 行。"
        + (
            "" if len(result.issues) <= room else f" 仅列出前 {room} 行，完整清单见 --rejects CSV。"
        ),
    )
    for col, header in enumerate(ISSUE_HEADERS, start=1):
        put(sheet, 2, col, header).font = HEADER_FONT
    for r, issue in enumerate(result.issues[:room], start=3):
        for col, value in enumerate(issue_row(issue), start=1):
            put(sheet, r, col, value)
    sheet.freeze_panes = "A3"
    widths = (30, 8, 16, 22, 36, 18, 36, 22, 30, 10, 10, 14, 14, 10)
    for letter, width in zip("ABCDEFGHIJKLMN", widths, strict=True):
        sheet.column_dimensions[letter].width = width
