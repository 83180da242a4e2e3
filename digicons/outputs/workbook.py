"""The publication workbook of a measurement (XlsxWriter, official style: outputs/style.py).

Sheets: 大类 (with a chart), 中类 and 小类 (their parents as bold rows above them), 地区 and
地区×中类 (when the input has 区划代码), 说明 (口径, 输入, 核对, 处理选择, 来源, 警告) and
数据质量 (every rejected or flagged row, up to what a sheet holds; with --confidential only their
counts by reason: a workbook published as it is shows no unit's data).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from digicons.measure.result import Cell, MeasureResult, Values
from digicons.measure.rules import FLAGS, LABELS
from digicons.outputs.issues import ISSUE_HEADERS, issue_row
from digicons.outputs.style import (
    FIGURE_FONT,
    FOOTER,
    NOT_COMPUTABLE,
    ROW_HEIGHT,
    SIZE,
    SUPPRESSED,
    Column,
    Placed,
    Row,
    Styles,
    Table,
    chart_font,
    in_print_order,
    new_workbook,
    partial_note,
    setup_print,
    table_width,
    write_table,
    write_text,
)
from digicons.scope.catalogue import display_name
from digicons.scope.regions import region_name

SHEETS = {"major": "大类", "medium": "中类", "minor": "小类"}
EXCEL_MAX_ROWS = 1_048_576
QUALITY_ROOM = EXCEL_MAX_ROWS - 2  # below the note and the header of 数据质量
# (header, key of MeasureResult.values, kind, width)
# Headers break where a person would break them.
FIGURE_COLUMNS: tuple[tuple[str, str, str, float], ...] = (
    ("企业数\n（家）", "enterprises", "count", 8),
    ("营业收入", "revenue", "money", 14),
    ("同口径本期\n营业收入", "revenue_comparable", "money", 14),
    ("上年同期\n营业收入", "revenue_prior", "money", 14),
    ("同比增长\n（%）", "yoy_pct", "pct", 9),
    ("占比\n（%）", "share_pct", "pct", 8),
    ("占比变动\n（百分点）", "share_change_pp", "pp", 11),
    ("拉动\n（百分点）", "pull_pp", "pp", 11),
    ("贡献率\n（%）", "contribution_pct", "pct", 8),
)
BOUND_COLUMNS: tuple[tuple[str, str, str, float], ...] = (
    ("下限\n（不含*行业）", "revenue_lower", "money", 14),
    ("上限\n（*行业全部计入）", "revenue_upper", "money", 17),
)
_PLACES = {"count": 0, "money": 2, "pct": 1, "pp": 2}


def source_note(result: MeasureResult) -> str:
    return (
        f"资料来源：企业营业收入数据；{result.scope_name}范围依据{result.scope_source}，"
        "行业代码为 GB/T 4754-2017。"
    )


def symbols_note(result: MeasureResult) -> str:
    text = f"“{NOT_COMPUTABLE}”表示无上年同期数据或基数不为正，无法计算。"
    if result.disclosure is not None:
        text += (
            f"“{SUPPRESSED}”表示依《统计法》第二十五条为保护调查对象的信息不予公布"
            f"（{result.disclosure.description}）。"
        )
    return text


# 同比 and its comparable base, which the category and the region tables both explain.
_COMPARABLE = "同口径本期营业收入为有上年同期数据的企业的本期营业收入"
_GROWTH = "同比增长 = 同口径本期营业收入 ÷ 上年同期营业收入 − 1"
GROWTH_NOTE = (
    f"同比增长、占比变动、拉动和贡献率按同口径计算：{_COMPARABLE}，{_GROWTH}。"
    "拉动 = 该类别增量 ÷ 合计上年同期营业收入 × 100，各类别之和等于合计增速；"
    "贡献率 = 该类别增量 ÷ 合计增量 × 100。占比为该类别营业收入占合计的比重。"
)
# The region tables show 营业收入 and 同比 only.
REGION_GROWTH_NOTE = f"同比增长按同口径计算：{_GROWTH}，{_COMPARABLE}。"


def listed_issues(result: MeasureResult) -> int:
    """How many rejected and flagged rows the 数据质量 sheet lists: none when the workbook is
    for publication with confidentiality (统计法第二十五条: a row names a unit and its figures)."""
    if result.disclosure is not None:
        return 0
    return min(QUALITY_ROOM, len(result.issues))


def needs_issue_file(result: MeasureResult) -> bool:
    """More rejected and flagged rows than the sheet lists: the full list goes to a CSV file."""
    return result.issue_count > listed_issues(result)


def figure(result: MeasureResult, cell: Cell, values: Values, key: str, kind: str) -> object:
    """What a figure cell shows: its value rounded as printed, or a symbol."""
    if result.withheld(cell, key):
        return SUPPRESSED
    value = values.get(key)
    if value is None:
        return NOT_COMPUTABLE
    if isinstance(value, int):
        return value
    return float(round(Decimal(value), _PLACES[kind]))


def _period_line(result: MeasureResult) -> str:
    basis = "单季" if result.quarter_only else "累计"
    return f"统计期：{result.period_label}（{result.period.key}，{basis}）"


def _notes(result: MeasureResult, *, regions: bool = False) -> list[str]:
    """The notes under a table: of the category tables, or (`regions`) of the region tables,
    which show revenue and 同比 only, and no bounds."""
    growth = REGION_GROWTH_NOTE if regions else GROWTH_NOTE
    notes = [partial_note(result.treatment.description), growth, symbols_note(result)]
    if regions:
        notes.insert(0, _region_level_note(result))
    if result.bounds and not regions:
        notes.append(
            "下限不计入只有部分属于数字消费的（*）行业，上限将其全部计入；两者不受部分行业处理方式影响。"
        )
    if result.quarter_only:
        notes.append("单季度数据由本期累计减去同一企业的上期累计得到。")
    return [f"注：{i}. {note}" for i, note in enumerate(notes, start=1)]


def write_workbook(result: MeasureResult, path: Path, issue_file: Path | None = None) -> None:
    """The publication workbook: 大类, 中类, 小类, 地区, 说明, 数据质量."""
    with new_workbook(path) as styles:
        workbook = styles.workbook
        for level, title in SHEETS.items():
            _category_sheet(workbook.add_worksheet(title), styles, result, level)
        if result.region_cells:
            _region_sheet(workbook.add_worksheet("地区"), styles, result)
            _region_medium_sheet(workbook.add_worksheet("地区×中类"), styles, result)
        _notes_sheet(workbook.add_worksheet("说明"), styles, result)
        _quality_sheet(workbook.add_worksheet("数据质量"), styles, result, issue_file)


def _name(cell: Cell) -> str:
    return display_name(cell.level, cell.name, cell.partial)


def _category_sheet(sheet: Worksheet, styles: Styles, result: MeasureResult, level: str) -> None:
    spec = FIGURE_COLUMNS + (BOUND_COLUMNS if result.bounds else ())
    columns = [
        Column("代码", 8, "code"),
        Column("名称", 34 if level == "minor" else 30, "text"),
        *(Column(header, width, kind) for header, _, kind, width in spec),
    ]
    rows = []
    for cell, bold, indent in in_print_order(result.cells, level):
        values = result.values(cell)
        figures = [figure(result, cell, values, key, kind) for _, key, kind, _ in spec]
        rows.append(Row([cell.code, _name(cell), *figures], bold, indent))
    table = Table(
        title=f"{result.period_label}{result.scope_name}企业营业收入（按{SHEETS[level]}）",
        period=_period_line(result),
        unit=f"计量单位：{result.unit}",
        columns=columns,
        rows=rows,
        notes=_notes(result),
        source=source_note(result),
    )
    placed = write_table(sheet, styles, table)
    sheet.freeze_panes(placed.body_first, 2)
    extra = 0
    if level == "major":
        extra = _major_chart(sheet, styles, result, placed, table_width(columns))
    setup_print(sheet, placed, table_width(columns), extra_rows=extra)


def _major_chart(
    sheet: Worksheet, styles: Styles, result: MeasureResult, placed: Placed, width: float
) -> int:
    """A bar chart of the majors below the table; returns the rows it takes."""
    chart = styles.workbook.add_chart({"type": "bar"})
    first = placed.body_first + 1  # the majors, below the total row
    last = placed.body_last
    chart.add_series(
        {
            "name": "营业收入",
            "categories": [sheet.name, first, 1, last, 1],
            "values": [sheet.name, first, 3, last, 3],
            "data_labels": {"value": True, "num_format": "#,##0"},
            "fill": {"color": "#4472C4"},
        }
    )
    chart.set_title(
        {
            "name": f"{result.period_label}{result.scope_name}营业收入（按大类）",
            "name_font": chart_font(11, bold=True),
        }
    )
    chart.set_x_axis(
        {
            "name": f"营业收入（{result.unit}）",
            "num_format": "#,##0",
            "name_font": chart_font(9),
            "num_font": chart_font(9, figures=True),
        }
    )
    chart.set_y_axis({"reverse": True, "num_font": chart_font(9)})
    chart.set_legend({"none": True})
    pixels = int(width * 7.2)
    chart.set_size({"width": pixels, "height": 300})
    sheet.insert_chart(placed.end + 2, 0, chart, {"object_position": 1})
    return 2 + 300 // 20 + 1


def _region_figures(
    result: MeasureResult, cell: Cell, keys: Sequence[tuple[str, str]]
) -> list[object]:
    values = result.values(cell)
    return [figure(result, cell, values, key, kind) for key, kind in keys]


_REGION_TOTAL = (
    ("企业数\n（家）", "enterprises", "count", 8),
    ("营业收入", "revenue", "money", 13),
    ("同比增长\n（%）", "yoy_pct", "pct", 8),
)
_REGION_PART = (("营业收入", "revenue", "money", 12), ("同比增长\n（%）", "yoy_pct", "pct", 8))


def _region_lines(result: MeasureResult) -> list[tuple[str, str, dict[str, Cell], bool]]:
    """(code, name, cells by category code, bold): all regions first, then each region."""
    everywhere = {c.code: c for c in result.cells}
    lines = [("", "全部地区", everywhere, True)]
    by_region: dict[str, dict[str, Cell]] = {}
    for cell in result.region_cells:
        if cell.region is not None:
            by_region.setdefault(cell.region, {})[cell.code] = cell
    for region in result.regions():
        lines.append((region, region_name(region), by_region[region], False))
    return lines


def _region_level_note(result: MeasureResult) -> str:
    level = {"province": "省级", "city": "地级", "county": "县级"}[result.region_level]
    return f"地区按区划代码（GB/T 2260）{level}汇总；未知代码按原代码列示。"


def _region_sheet(sheet: Worksheet, styles: Styles, result: MeasureResult) -> None:
    """Regions down; the digital total and each major across (营业收入 and 同比)."""
    _region_table(sheet, styles, result, "major", with_total=True)


def _region_medium_sheet(sheet: Worksheet, styles: Styles, result: MeasureResult) -> None:
    """Regions down; every medium across (营业收入 and 同比): wide, printed across pages."""
    _region_table(sheet, styles, result, "medium", with_total=False)


def _region_table(
    sheet: Worksheet, styles: Styles, result: MeasureResult, level: str, *, with_total: bool
) -> None:
    categories = result.level(level)
    total = _REGION_TOTAL if with_total else ()
    columns = [
        Column("区划代码", 9, "code"),
        Column("地区", 14, "text"),
        *(Column(h, w, k) for h, _, k, w in total),
        *(Column(h, w, k) for _ in categories for h, _, k, w in _REGION_PART),
    ]
    groups = [("", 2)]
    if with_total:
        groups.append((f"{result.scope_name}{_name(result.total)}", len(total)))
    groups += [(f"{c.code} {_name(c)}", len(_REGION_PART)) for c in categories]
    rows = []
    for code, name, cells, bold in _region_lines(result):
        line: list[object] = [code, name]
        if with_total:
            line += _region_figures(result, cells[""], [(k, kind) for _, k, kind, _ in total])
        for category in categories:
            line += _region_figures(
                result, cells[category.code], [(k, kind) for _, k, kind, _ in _REGION_PART]
            )
        rows.append(Row(line, bold))
    table = Table(
        title=f"{result.period_label}{result.scope_name}企业营业收入（按地区和{SHEETS[level]}）",
        period=_period_line(result),
        unit=f"计量单位：{result.unit}",
        columns=columns,
        rows=rows,
        notes=_notes(result, regions=True),
        source=source_note(result),
        groups=groups,
        repeat=2,
    )
    placed = write_table(sheet, styles, table)
    sheet.freeze_panes(placed.body_first, 2)
    setup_print(sheet, placed, table_width(columns), repeat_columns=2)


def _notes_sheet(sheet: Worksheet, styles: Styles, result: MeasureResult) -> None:
    from digicons.outputs.notes import write_notes

    write_notes(sheet, styles, result)


def _quality_sheet(
    sheet: Worksheet, styles: Styles, result: MeasureResult, issue_file: Path | None
) -> None:
    if result.disclosure is not None:
        _quality_counts(sheet, styles, result, issue_file)
        return
    room = listed_issues(result)
    note = (
        f"剔除 {result.reconciliation.rows['rejected']:,} 行；"
        f"有质量标记的保留行 {result.flagged_rows:,} 行。"
    )
    if needs_issue_file(result):
        where = issue_file.name if issue_file is not None else "（未写出）"
        note += f" 本表仅列出前 {room:,} 行（工作表行数有限）；完整清单见 {where}。"
    widths = (30, 8, 16, 22, 36, 18, 36, 22, 30, 10, 10, 14, 14, 10, 24)
    for index, width in enumerate(widths[: len(ISSUE_HEADERS)]):
        sheet.set_column(index, index, width)
    sheet.write_string(0, 0, note, styles.plain("left"))
    header = styles.header(top=5, bottom=1)
    for index, text in enumerate(ISSUE_HEADERS):
        sheet.write_string(1, index, text, header)
    rows = [issue_row(issue) for issue in result.issues[:room]]
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, 1 + len(rows), len(ISSUE_HEADERS) - 1)
    _print_listing(sheet, landscape=True)
    styles.list_rows(sheet, 2, rows, styles.cell("text"), styles.cell("int"))


def _quality_counts(
    sheet: Worksheet, styles: Styles, result: MeasureResult, issue_file: Path | None
) -> None:
    """数据质量 of a confidential workbook: how many rows each reason rejected or flagged."""
    flags = Counter(f for i in result.all_issues() if i.status != "rejected" for f in i.flags)
    lines: list[tuple[str, str, int, str]] = [
        ("剔除", LABELS[key], rows, key) for key, (rows, _) in result.rejects_by_reason.items()
    ]
    lines.append(("剔除", "剔除的行", result.reconciliation.rows["rejected"], ""))
    lines += [
        ("质量标记", rule.label, flags[rule.key], rule.key) for rule in FLAGS if flags[rule.key]
    ]
    lines.append(("质量标记", "有质量标记的保留行", result.flagged_rows, ""))
    if issue_file is None:
        note = "无剔除或有质量标记的行。"
    else:
        note = (
            f"保密发布：本表只列各原因的行数，不列单位明细。剔除和有质量标记的 "
            f"{result.issue_count:,} 行（含统一社会信用代码、单位名称和原始数值）见 "
            f"{issue_file.name}，仅供内部核查，不得公开。一行可有多个质量标记。"
        )
    widths = (12, 52, 10, 30)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.set_row(0, ROW_HEIGHT * 3)
    sheet.merge_range(0, 0, 0, len(widths) - 1, note, styles.plain("left", wrap=True))
    header = styles.header(top=5, bottom=1)
    for index, text in enumerate(("处理", "原因", "行数", "原因代码")):
        sheet.write_string(1, index, text, header)
    for r, (action, label, rows, key) in enumerate(lines, start=2):
        # Subtotals in bold; the thick rule under the last row closes the table.
        bold, bottom = not key, 5 if r == len(lines) + 1 else 0
        sheet.write_string(r, 0, action, styles.cell("text", bottom=bottom))
        sheet.write_string(r, 1, label, styles.cell("text", bold=bold, bottom=bottom))
        sheet.write_number(r, 2, rows, styles.cell("count", bold=bold, bottom=bottom))
        sheet.write_string(r, 3, key, styles.cell("text", indent=1, bottom=bottom))
    _print_listing(sheet, landscape=False)


def _print_listing(sheet: Worksheet, *, landscape: bool) -> None:
    """数据质量 as printed: A4, one page wide, its header (row 2) on every page."""
    sheet.set_paper(9)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1, 1)
    sheet.set_footer(FOOTER)


def write_plain_workbook(
    path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """One sheet: a bold, frozen header row and the rows beneath it (text stays text)."""
    with new_workbook(path) as styles:
        sheet = styles.workbook.add_worksheet(title)
        bold = styles.header(bottom=1)
        for column, header in enumerate(headers):
            write_text(sheet, 0, column, header, bold)
            sheet.set_column(column, column, 14)
        text = styles.plain("left")
        number = styles.get(font_name=FIGURE_FONT, font_size=SIZE)
        styles.list_rows(sheet, 1, rows, text, number)
        sheet.freeze_panes(1, 0)
