"""The 说明 sheet: how the tables were made, in blocks a reader can check.

一、口径 (what was measured), 二、输入 (each file, its size, SHA-256 and lines), 三、核对 (every row
and every yuan accounted for), 四、处理选择 (the choices that change the figures), 五、来源 (the
program and the command), 六、警告.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter.worksheet import Worksheet

from digicons.measure.result import UNCOMPARED, ListMatch, MeasureResult
from digicons.measure.rules import LABELS
from digicons.outputs.style import (
    FOOTER,
    ROW_HEIGHT,
    SIZE,
    SUPPRESSED,
    TEXT_FONT,
    Styles,
    lines_needed,
    merge_text,
    write_text,
)

WIDTHS = (26, 16, 12, 12, 10, 10, 12, 10)
LAST = len(WIDTHS) - 1
VALUE_WIDTH = sum(WIDTHS[1:])


@dataclass
class _Cursor:
    row: int = 0


def repeated_phrase(rows: int) -> str:
    """What the notes add for rows of --prior / --quarter-only files that repeat a credit code
    (the first row of a code is used, as in the current files); nothing when there are none."""
    return f"，{rows:,} 行统一社会信用代码重复（取首次出现的行）" if rows else ""


def listed_phrase(listed: ListMatch) -> str:
    """How the enterprises of a --partial list file were found (terminal and 说明)."""
    return f"名单 {listed.codes:,} 家企业，{listed.found:,} 家在部分（*）行业中计入"


def _published(value: Decimal | None) -> float | str:
    """An amount as 说明 prints it (output unit): × when a confidential run withholds it."""
    return SUPPRESSED if value is None else float(round(value, 2))


def _revenue_phrase(result: MeasureResult, value: Decimal) -> str:
    amount = result.unaudited(value)
    return "" if amount is None else f"（营业收入 {float(round(amount, 2)):,.2f} {result.unit}）"


def write_notes(sheet: Worksheet, styles: Styles, result: MeasureResult) -> None:
    for index, width in enumerate(WIDTHS):
        sheet.set_column(index, index, width)
    at = _Cursor()
    heading = styles.get(font_name=TEXT_FONT, font_size=SIZE, bold=True, top=1, valign="vcenter")
    label = styles.plain("left")
    wrap = styles.plain("left", wrap=True)
    small = styles.get(font_name="Consolas", font_size=8, align="left", valign="vcenter")
    count = styles.cell("count")
    money = styles.cell("money")
    symbol = styles.symbol()
    header = styles.header(bottom=1)

    def title(text: str) -> None:
        sheet.set_row(at.row, 24)
        sheet.merge_range(at.row, 0, at.row, LAST, text, styles.title())
        at.row += 1

    def block(text: str) -> None:
        at.row += 1
        sheet.merge_range(at.row, 0, at.row, LAST, text, heading)
        at.row += 1

    def pair(name: str, value: object) -> None:
        text = str(value)
        sheet.set_row(at.row, ROW_HEIGHT * lines_needed(text, VALUE_WIDTH))
        sheet.write_string(at.row, 0, name, label)
        merge_text(sheet, at.row, 1, LAST, text, wrap)
        at.row += 1

    def digest(sha256: str) -> None:
        """The SHA-256 of the file named on the row above."""
        sheet.write_string(at.row, 0, "  SHA-256", label)
        sheet.merge_range(at.row, 1, at.row, LAST, sha256, small)
        at.row += 1

    def figures(name: str, rows: int | None, revenue: float | str | None, indent: int = 0) -> None:
        # The label takes three columns: reasons can be long.
        text = styles.get(font_name=TEXT_FONT, font_size=SIZE, indent=indent, valign="vcenter")
        sheet.merge_range(at.row, 0, at.row, 2, name, text)
        if rows is not None:
            sheet.write_number(at.row, 3, rows, count)
        if isinstance(revenue, str):
            sheet.merge_range(at.row, 4, at.row, 5, revenue, symbol)
        elif revenue is not None:
            sheet.merge_range(at.row, 4, at.row, 5, revenue, money)
        at.row += 1

    title("说明")
    sheet.merge_range(
        at.row, 0, at.row, LAST, f"统计期：{result.period_label}（{result.period.key}）", label
    )
    at.row += 1

    block("一、口径")
    pair(
        "统计期",
        f"{result.period_label}（{result.period.key}，"
        + ("单季）" if result.quarter_only else "累计）"),
    )
    pair(f"{result.scope_name}范围", f"依据{result.scope_source}，行业代码为 GB/T 4754-2017")
    pair(
        "行业代码表",
        str(result.code_table) if result.code_table else "未指定（接受所有存在大类的4位代码）",
    )
    comparison = result.comparison
    if comparison.source == "column":
        pair("上年同期来源", "输入文件的营业收入上年同期列（同口径：同一企业的上年同期数）")
    else:
        pair(
            "上年同期来源",
            "上年同期文件（按统一社会信用代码匹配）："
            + "、".join(p.name for p in comparison.files)
            + f"；本期 {comparison.unmatched_enterprises:,} 家企业未匹配"
            + _revenue_phrase(result, comparison.unmatched_revenue)
            + "，"
            f"上年 {comparison.vanished_enterprises:,} 家企业本期未出现，"
            f"{comparison.rejected_enterprises:,} 家本期被剔除"
            + repeated_phrase(comparison.repeated_rows),
        )
    if result.quarter is not None:
        quarter = result.quarter
        pair(
            "单季度推算",
            "本期累计减同一企业的上期累计："
            + "、".join(p.name for p in quarter.files)
            + f"；{quarter.without_previous:,} 家企业上期无数据（按本期累计计入），"
            f"上期 {quarter.vanished_enterprises:,} 家企业本期未出现"
            + _revenue_phrase(result, quarter.vanished_revenue)
            + "，"
            f"{quarter.rejected_enterprises:,} 家本期被剔除"
            + repeated_phrase(quarter.repeated_rows),
        )
    level = {"province": "省级", "city": "地级", "county": "县级"}[result.region_level]
    pair("地区", f"按区划代码（GB/T 2260）{level}汇总")

    block("二、输入")
    columns = (
        "文件",
        "读取方式",
        "大小（字节）",
        "读取行数",
        "数据行",
        "空行",
        "并入跨行记录",
        "合计行",
    )
    for index, text in enumerate(columns):
        sheet.write_string(at.row, index, text, header)
    at.row += 1
    for source in result.sources:
        write_text(sheet, at.row, 0, source.path.name, label)
        sheet.write_string(at.row, 1, source.detail, label)
        for index, value in enumerate(
            (
                source.size,
                source.rows_read,
                source.data_lines,
                source.blank_lines,
                source.swallowed_lines,
                source.total_rows,
            ),
            start=2,
        ):
            sheet.write_number(at.row, index, value, count)
        at.row += 1
        digest(source.sha256)
    for side in result.side_files:
        # The other files the figures depend on (上年同期, the previous quarter, the shares or
        # list of --partial, the code table): their name, size and digest.
        write_text(sheet, at.row, 0, side.path.name, label)
        sheet.write_string(at.row, 1, side.label, label)
        sheet.write_number(at.row, 2, side.size, count)
        at.row += 1
        digest(side.sha256)
    for note in result.notes:
        pair("注", note)

    block(
        f"三、核对（行数全部可追溯；保密发布只列数字消费合计的营业收入，“{SUPPRESSED}”不予公布；"
        f"营业收入单位：{result.unit}）"
        if result.confidential
        else f"三、核对（行数与营业收入全部可追溯；营业收入单位：{result.unit}）"
    )
    sheet.merge_range(at.row, 0, at.row, 2, "项目", header)
    sheet.write_string(at.row, 3, "行数", header)
    sheet.merge_range(at.row, 4, at.row, 5, "营业收入", header)
    at.row += 1
    rec = result.reconciliation
    figures("读取", rec.rows_read, _published(result.unaudited(rec.revenue_read)))
    figures("  数字消费", rec.rows["digital"], _published(result.reconciled("digital")))
    figures("  非数字消费", rec.rows["not_digital"], _published(result.reconciled("not_digital")))
    figures("  剔除", rec.rows["rejected"], _published(result.reconciled("rejected")))
    for key, (rows, revenue) in result.rejects_by_reason.items():
        figures(LABELS[key], rows, _published(result.unaudited(revenue)), indent=3)
    figures("有质量标记的保留行", result.flagged_rows, None)
    if rec.total_rows:
        figures("合计行（不计入）", rec.total_rows, _published(result.unaudited(rec.total_revenue)))
        for source in result.sources:
            if source.control_revenue is not None:
                # The file's own figure beside the sum of its rows, to compare by eye.
                figures(
                    f"  {source.path.name} {source.control_label}",
                    None,
                    _published(result.unaudited(source.control_revenue)),
                )
                figures(
                    f"  {source.path.name} 各行之和",
                    source.rows_read,
                    _published(result.unaudited(source.revenue_read)),
                )
            elif source.uncompared:
                figures(f"  {source.path.name} {UNCOMPARED}", None, None)

    block("四、处理选择")
    pair("金额单位", f"表中为{result.unit}；输入数据为{result.input_unit}")
    pair("部分行业（*）", result.treatment.description)
    if result.without_share:
        pair("缺少折算系数的行", f"{result.without_share:,} 行（按全部计入）")
    if result.listed is not None:
        pair("企业名单", listed_phrase(result.listed))
    pair("上下限", "并列上限与下限" if result.bounds else "不列示")
    pair(
        "保密处理",
        result.disclosure.description if result.disclosure else "未作保密处理（内部使用）",
    )
    if result.disclosure is not None and result.audit is not None:
        audit = result.audit
        tables = {"minor": "小类表", "region_medium": "地区×中类表"}
        shares = "，".join(
            f"{tables[name]} " + ("不予公布（合计隐蔽）" if share is None else f"{share:.1f}%")
            for name, share in audit.hidden_share.items()
        )
        pair(
            "隐蔽单元格",
            f"共 {len(result.suppressed):,} 个：敏感单元格（一次隐蔽）{len(audit.primary):,} 个，"
            f"为保护其而隐蔽（二次隐蔽）{len(audit.secondary):,} 个；保护水平 "
            f"{result.disclosure.protection}%；隐蔽的营业收入占合计：{shares or '—'}",
        )
        pair(
            "核验",
            "已对每个隐蔽单元格求解攻击者的线性规划（HiGHS），其可能取值区间见 JSON 的 audit；"
            "每个敏感单元格的区间上下均不少于真实值的保护水平",
        )

    made = result.provenance
    block("五、来源")
    pair("程序", f"digicons {made.digicons_version}" if made else "digicons")
    if made is not None:
        pair("命令", made.command or "（库调用）")
        pair("开始时间", made.started)
        pair("用时（秒）", f"{made.duration_seconds:.2f}")

    block("六、警告")
    if not result.warnings:
        pair("", "无")
    for warning in result.warnings:
        pair(warning.code, warning.published(result.confidential))

    sheet.set_paper(9)
    sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, 1)
    sheet.set_margins(left=0.6, right=0.6, top=0.7, bottom=0.8)
    sheet.set_footer(FOOTER, {"margin": 0.3})
    sheet.center_horizontally()
    sheet.print_area(0, 0, at.row - 1, LAST)
    sheet.hide_gridlines(2)
