"""Publication-ready Excel workbooks."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from digicons.inputs.normalise import printable
from digicons.measure.result import MeasureResult
from digicons.measure.rules import LABELS
from digicons.outputs.issues import ISSUE_HEADERS, issue_row
from digicons.scope.regions import region_name

HEADER_FONT = Font(bold=True)


def put(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write one value; text stays text even when it looks like a formula (`=HYPERLINK(...)`),
    and loses the control characters no workbook can hold (the JSON keeps them)."""
    cell: Cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = printable(value)
        cell.data_type = "s"
    else:
        cell.value = value
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
DASH = "—"
# (header, key in report.cell_values, number format, decimals)
COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("企业数(家)", "enterprises", COUNT, 0),
    ("营业收入", "revenue", MONEY, 2),
    ("上年同期", "revenue_prior", MONEY, 2),
    ("同比增长(%)", "yoy_pct", PCT, 1),
    ("占比(%)", "share_pct", PCT, 1),
    ("占比变动(百分点)", "share_change_pp", "0.00", 2),
    ("拉动(百分点)", "pull_pp", "0.00", 2),
    ("贡献率(%)", "contribution_pct", PCT, 1),
)
BOUND_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("下限：不含*行业", "revenue_lower", MONEY, 2),
    ("上限：*行业全部计入", "revenue_upper", MONEY, 2),
)
SHEETS = {"major": "大类", "medium": "中类", "minor": "小类"}
EXCEL_MAX_ROWS = 1_048_576
QUALITY_ROOM = EXCEL_MAX_ROWS - 2  # below the note and the header of 数据质量


def source_note(result: MeasureResult) -> str:
    return (
        f"资料来源：企业营业收入数据；{result.scope_name}范围依据{result.scope_source}，"
        "行业代码为 GB/T 4754-2017。"
    )


GROWTH_NOTE = (
    "同比增长、占比变动、拉动和贡献率按有上年同期数据的企业计算（同口径）；"
    "“—”表示无上年同期数据或基数不为正。拉动 = 该类别增量 ÷ 合计上年同期 × 100，"
    "各类别之和等于合计增速；贡献率 = 该类别增量 ÷ 合计增量 × 100。"
)


def _round(value: Decimal | int | None, places: int) -> float | int | None:
    if value is None or isinstance(value, int):
        return value
    return float(round(value, places))


def partial_note(result: MeasureResult) -> str:
    return (
        f"* 该类别所含行业只有部分属于数字消费；部分行业处理方式：{result.treatment.description}。"
    )


def listed_issues(result: MeasureResult) -> int:
    """How many rejected and flagged rows the 数据质量 sheet lists."""
    return min(QUALITY_ROOM, len(result.issues))


def needs_issue_file(result: MeasureResult) -> bool:
    """More rejected and flagged rows than the sheet lists: the full list goes to a CSV file."""
    return result.issue_count > listed_issues(result)


def write_workbook(result: MeasureResult, path: Path, issue_file: Path | None = None) -> None:
    """The publication workbook: 大类, 中类, 小类, 地区, 说明, 数据质量; a chart of the majors."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for level, title in SHEETS.items():
        sheet = workbook.create_sheet(title)
        end = _category_sheet(sheet, result, level)
        if level == "major":
            _major_chart(sheet, end)
    if result.region_cells:
        _region_sheet(workbook.create_sheet("地区"), result, "major")
        _region_sheet(workbook.create_sheet("地区×中类"), result, "medium")
    _notes_sheet(workbook.create_sheet("说明"), result)
    _quality_sheet(workbook.create_sheet("数据质量"), result, issue_file)
    workbook.save(path)


def _title(sheet: Worksheet, result: MeasureResult, what: str) -> None:
    put(sheet, 1, 1, f"{result.period_label}数字消费企业营业收入（{what}）").font = Font(
        bold=True, size=14
    )
    basis = "单季" if result.quarter_only else "累计"
    put(
        sheet,
        2,
        1,
        f"单位：{result.unit}；统计期：{result.period_label}（{result.period.key}，{basis}）",
    )


def _footnotes(sheet: Worksheet, result: MeasureResult, row: int) -> None:
    notes = [
        partial_note(result),
        GROWTH_NOTE,
        "占比为该类别营业收入占数字消费营业收入合计的比重。",
    ]
    if result.disclosure is not None:
        notes.append(f"— 为保密需要不予公布：{result.disclosure.description}。")
    notes.append(source_note(result))
    for offset, note in enumerate(notes, start=2):
        put(sheet, row + offset, 1, note)


def _category_sheet(sheet: Worksheet, result: MeasureResult, level: str) -> int:
    """Write one table; return the last data row."""
    _title(sheet, result, f"按{SHEETS[level]}")
    columns = COLUMNS + (BOUND_COLUMNS if result.bounds else ())
    for col, header in enumerate(("代码", "名称", *(c[0] for c in columns)), start=1):
        put(sheet, 4, col, header).font = HEADER_FONT
    cells = [result.total, *result.level(level)]
    for r, cell in enumerate(cells, start=5):
        name = ("合计" if cell.level == "total" else cell.name) + ("*" if cell.partial else "")
        put(sheet, r, 1, cell.code)
        put(sheet, r, 2, name)
        values = result.values(cell)
        for col, (_, key, fmt, places) in enumerate(columns, start=3):
            value = _round(values[key], places)
            target = put(sheet, r, col, DASH if value is None else value)
            target.number_format = fmt
        if cell.level == "total":
            for col in range(1, 3 + len(columns)):
                sheet.cell(r, col).font = HEADER_FONT
    end = 4 + len(cells)
    _footnotes(sheet, result, end)
    sheet.freeze_panes = "C5"
    widths = (10, 34, 12, 18, 18, 13, 10, 16, 13, 12, 18, 20)
    for index, width in enumerate(widths[: 2 + len(columns)], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return end


def _region_sheet(sheet: Worksheet, result: MeasureResult, level: str) -> None:
    """Regions down, categories across: 营业收入 of digital consumption."""
    heads = [c for c in result.cells if c.level == level]
    _title(sheet, result, f"按地区和{SHEETS[level]}，营业收入")
    labels = ["区划代码", "地区", "企业数(家)", "合计", *(f"{c.code} {c.name}" for c in heads)]
    for col, header in enumerate(labels, start=1):
        put(sheet, 4, col, header).font = HEADER_FONT
    by_key = {c.key: c for c in result.region_cells}
    rows = [(None, "全部地区", result.total)] + [
        (region, region_name(region), by_key[(region, "")]) for region in result.regions()
    ]
    for r, (region, name, total) in enumerate(rows, start=5):
        put(sheet, r, 1, region or "")
        put(sheet, r, 2, name)
        line = [
            total,
            *(
                next(c for c in result.cells if c.code == h.code)
                if region is None
                else by_key[(region, h.code)]
                for h in heads
            ),
        ]
        count = result.values(total)["enterprises"]
        put(sheet, r, 3, DASH if count is None else count).number_format = COUNT
        for col, cell in enumerate(line, start=4):
            value = _round(result.values(cell)["revenue"], 2)
            put(sheet, r, col, DASH if value is None else value).number_format = MONEY
    level_name = {"province": "省级", "city": "地级", "county": "县级"}[result.region_level]
    put(
        sheet,
        5 + len(rows),
        1,
        f"地区按区划代码（GB/T 2260）{level_name}汇总；未知代码按原代码列示。",
    )
    _footnotes(sheet, result, 5 + len(rows))
    sheet.freeze_panes = "C5"
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 16
    for index in range(3, len(labels) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16


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
    sheet.add_chart(chart, "N4")


def _notes_sheet(sheet: Worksheet, result: MeasureResult) -> None:
    rec = result.reconciliation
    conv = result.convert
    comparison = result.comparison
    lines: list[tuple[object, ...]] = [
        ("统计期", f"{result.period_label}（{result.period.key}）"),
        ("金额单位", f"表中为{result.unit}；输入数据为{result.input_unit}"),
        ("部分行业（*）处理方式", result.treatment.description),
        (
            "行业代码表",
            str(result.code_table) if result.code_table else "未指定（接受所有存在大类的4位代码）",
        ),
        (f"{result.scope_name}范围", source_note(result)),
        (
            "上年同期来源",
            "输入文件的上年同期列"
            if comparison.source == "column"
            else "上年同期文件（按统一社会信用代码匹配）：" + "，".join(map(str, comparison.files)),
        ),
    ]
    if comparison.source == "files":
        lines += [
            (
                "本期企业未匹配到上年同期",
                comparison.unmatched_enterprises,
                _round(conv(comparison.unmatched_revenue), 2),
            ),
            (
                "上年同期企业本期未出现",
                comparison.vanished_enterprises,
                _round(conv(comparison.vanished_revenue), 2),
            ),
        ]
    if result.quarter is not None:
        lines += [
            (
                "单季度推算",
                "本期累计减上期累计（按统一社会信用代码）："
                + "，".join(map(str, result.quarter.files)),
            ),
            ("本期企业在上期累计中未出现（按本期累计计入）", result.quarter.without_previous, ""),
            (
                "上期企业本期未出现",
                result.quarter.vanished_enterprises,
                _round(conv(result.quarter.vanished_revenue), 2),
            ),
        ]
    if result.without_share:
        lines.append(("部分行业缺少折算系数（按全部计入）的行", result.without_share, ""))
    if result.disclosure is not None:
        lines.append(
            ("保密处理", f"{result.disclosure.description}；隐蔽单元格 {len(result.suppressed)} 个")
        )
    lines += [
        (),
        (
            "输入文件",
            "读取方式",
            "大小（字节）",
            "SHA-256",
            "读取行数",
            "数据行",
            "空行",
            "并入跨行记录的行",
            "合计行",
        ),
        *(
            (
                str(s.path),
                s.detail,
                s.size,
                s.sha256,
                s.rows_read,
                s.data_lines,
                s.blank_lines,
                s.swallowed_lines,
                s.total_rows,
            )
            for s in result.sources
        ),
        *((f"注：{note}",) for note in result.notes),
        (),
        ("来源", "digicons " + (result.provenance.digicons_version if result.provenance else "")),
        ("命令", result.provenance.command if result.provenance else ""),
        ("开始时间", result.provenance.started if result.provenance else ""),
        ("用时（秒）", result.provenance.duration_seconds if result.provenance else ""),
        (),
        ("警告", f"{len(result.warnings)} 条"),
        *((w.code, w.message) for w in result.warnings),
        (),
        ("核对（行数与营业收入全部可追溯）", "行数", f"营业收入（{result.unit}）"),
        ("读取", rec.rows_read, _round(conv(rec.revenue_read), 2)),
        ("数字消费", rec.rows["digital"], _round(conv(rec.revenue["digital"]), 2)),
        ("非数字消费", rec.rows["not_digital"], _round(conv(rec.revenue["not_digital"]), 2)),
        ("剔除", rec.rows["rejected"], _round(conv(rec.revenue["rejected"]), 2)),
        (),
        ("剔除原因", "行数", f"营业收入（{result.unit}）"),
        *((LABELS[k], n, _round(conv(v), 2)) for k, (n, v) in result.rejects_by_reason.items()),
        (),
        ("有质量标记的保留行", result.flagged_rows, ""),
    ]
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line, start=1):
            put(sheet, r, c, value)
            if c == 1 and (value in ("输入文件", "剔除原因") or str(value).startswith("核对")):
                sheet.cell(r, c).font = HEADER_FONT
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 20


def _quality_sheet(sheet: Worksheet, result: MeasureResult, issue_file: Path | None) -> None:
    room = listed_issues(result)
    note = (
        f"剔除 {result.reconciliation.rows['rejected']} 行；"
        f"有质量标记的保留行 {result.flagged_rows} 行。"
    )
    if needs_issue_file(result):
        where = issue_file.name if issue_file is not None else "（未写出）"
        note += f" 本表仅列出前 {room} 行（工作表行数有限）；完整清单见 {where}。"
    put(sheet, 1, 1, note)
    for col, header in enumerate(ISSUE_HEADERS, start=1):
        put(sheet, 2, col, header).font = HEADER_FONT
    for r, issue in enumerate(result.issues[:room], start=3):
        for col, value in enumerate(issue_row(issue), start=1):
            put(sheet, r, col, value)
    sheet.freeze_panes = "A3"
    widths = (30, 8, 16, 22, 36, 18, 36, 22, 30, 10, 10, 14, 14, 10)
    for letter, width in zip("ABCDEFGHIJKLMN", widths, strict=True):
        sheet.column_dimensions[letter].width = width
