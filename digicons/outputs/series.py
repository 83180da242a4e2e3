"""The series workbook and JSON: the periods side by side, in the measure workbook's print style.

Each level (大类, 中类, 小类) is a table with, for every period, the cumulative revenue, its 同比
and the single quarter derived from consecutive cumulative results. The 大类 sheet carries a line
chart of the majors over the periods, drawn from a small data table printed under the notes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlsxwriter.worksheet import Worksheet

from digicons.outputs.style import (
    NOT_COMPUTABLE,
    SUPPRESSED,
    Column,
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
)
from digicons.outputs.workbook import SHEETS
from digicons.scope.catalogue import display_name
from digicons.series import Series, SeriesRow, Value

PER_PERIOD = (
    ("累计营业收入", "money", 13),
    ("同比增长\n（%）", "pct", 8),
    ("单季营业收入", "money", 13),
)


def series_json(series: Series) -> dict[str, Any]:
    """`series --json`: {"periods": [...], "rows": [{"level", "code", "name", "values": [...]}]}."""
    return {
        "periods": [p.key for p in series.periods],
        "period_labels": series.labels,
        "unit": series.unit,
        "files": [str(f) for f in series.files],
        "notes": series.notes,
        "rows": [
            {
                "level": row.level,
                "code": row.code,
                "name": row.name,
                "partial": row.partial,
                "values": [
                    {
                        "period": v.period,
                        "revenue": v.revenue,
                        "yoy_pct": v.yoy_pct,
                        "quarter_revenue": v.quarter_revenue,
                        "suppressed": v.suppressed,
                        "quarter_suppressed": v.quarter_suppressed,
                    }
                    for v in row.values
                ],
            }
            for row in series.rows
        ],
    }


def _figure(value: float | None, hidden: bool, places: int) -> object:
    if hidden:
        return SUPPRESSED
    return NOT_COMPUTABLE if value is None else round(value, places)


def _cells(value: Value) -> list[object]:
    return [
        _figure(value.revenue, value.suppressed, 2),
        _figure(value.yoy_pct, value.suppressed, 1),
        _figure(value.quarter_revenue, value.quarter_suppressed, 2),
    ]


def _notes(series: Series) -> list[str]:
    notes = [
        "单季营业收入由同一年相邻两期的累计营业收入相减得到；第一季度即为其累计数。"
        "同比增长按各期同口径计算（见各期结果）。",
        f"“{NOT_COMPUTABLE}”表示无法计算（无上年同期数据，或缺少上一季度的累计结果）"
        + (
            f"；“{SUPPRESSED}”表示保密不予公布，由其推算的单季数亦不公布"
            if series.confidential
            else ""
        )
        + "。",
        *series.notes,
    ]
    if series.treatment:
        notes.insert(0, partial_note(series.treatment))
    return [f"注：{i}. {note}" for i, note in enumerate(notes, start=1)]


def write_series_workbook(series: Series, path: Path) -> None:
    with new_workbook(path) as styles:
        for level, title in SHEETS.items():
            _sheet(styles.workbook.add_worksheet(title), styles, series, level)


def _name(row: SeriesRow) -> str:
    return display_name(row.level, row.name, row.partial)


def _sheet(sheet: Worksheet, styles: Styles, series: Series, level: str) -> None:
    columns = [Column("代码", 8, "code"), Column("名称", 30 if level != "minor" else 34, "text")]
    for _ in series.periods:
        columns += [Column(header, width, kind) for header, kind, width in PER_PERIOD]
    groups = [("", 2)] + [(label, len(PER_PERIOD)) for label in series.labels]
    rows = [
        Row([row.code, _name(row), *(c for v in row.values for c in _cells(v))], bold, indent)
        for row, bold, indent in in_print_order(series.rows, level)
    ]
    first, last = series.labels[0], series.labels[-1]
    table = Table(
        title=f"{series.scope_name}企业营业收入（按{SHEETS[level]}，{first}至{last}）",
        period=f"共 {len(series.periods)} 期：" + "、".join(p.key for p in series.periods),
        unit=f"计量单位：{series.unit}",
        columns=columns,
        rows=rows,
        notes=_notes(series),
        source=f"资料来源：digicons measure 各期结果；{series.scope_name}范围依据"
        f"{series.scope_source}。",
        groups=groups,
        repeat=2,
    )
    placed = write_table(sheet, styles, table)
    sheet.freeze_panes(placed.body_first, 2)
    extra = _chart(sheet, styles, series, placed.end + 2) if level == "major" else 0
    setup_print(sheet, placed, table_width(columns), repeat_columns=2, extra_rows=extra)


def _chart(sheet: Worksheet, styles: Styles, series: Series, row: int) -> int:
    """A data table of the majors over the periods and its line chart; returns the rows used."""
    majors = [r for r in series.rows if r.level == "major"]
    quarterly = all(v.quarter_revenue is not None for r in majors for v in r.values)
    what = "单季营业收入" if quarterly else "累计营业收入"
    header = styles.header(top=1, bottom=1)
    sheet.write_string(row, 0, f"图表数据：各大类{what}", styles.plain("left"))
    labels = [p.quarter_label for p in series.periods] if quarterly else series.labels
    # Two lines (year, then quarter): the period columns of the table above are narrow.
    sheet.set_row(row + 1, 30)
    sheet.write_string(row + 1, 1, "大类", header)
    for j, label in enumerate(labels):
        sheet.write_string(row + 1, 2 + j, label.replace("年", "年\n", 1), header)
    number = styles.cell("money")
    for i, major in enumerate(majors):
        sheet.write_string(row + 2 + i, 1, _name(major), styles.cell("text"))
        for j, value in enumerate(major.values):
            figure = value.quarter_revenue if quarterly else value.revenue
            hidden = value.quarter_suppressed if quarterly else value.suppressed
            if figure is None or hidden:
                sheet.write_string(
                    row + 2 + i, 2 + j, SUPPRESSED if hidden else "", styles.symbol()
                )
            else:
                sheet.write_number(row + 2 + i, 2 + j, round(figure, 2), number)
    chart = styles.workbook.add_chart({"type": "line"})
    end = 1 + len(series.periods)
    for i in range(len(majors)):
        chart.add_series(
            {
                "name": [sheet.name, row + 2 + i, 1],
                "categories": [sheet.name, row + 1, 2, row + 1, end],
                "values": [sheet.name, row + 2 + i, 2, row + 2 + i, end],
                "marker": {"type": "circle", "size": 5},
            }
        )
    chart.set_title({"name": f"各大类{what}", "name_font": chart_font(11, bold=True)})
    chart.set_y_axis(
        {
            "name": f"{what}（{series.unit}）",
            "num_format": "#,##0",
            "name_font": chart_font(9),
            "num_font": chart_font(9, figures=True),
        }
    )
    chart.set_x_axis({"num_font": chart_font(9)})
    chart.set_legend({"position": "bottom", "font": chart_font(9)})
    chart.set_size({"width": 720, "height": 320})
    chart_row = row + 3 + len(majors)
    sheet.insert_chart(chart_row, 1, chart, {"object_position": 1})
    return 3 + len(majors) + 320 // 20 + 2
