"""Rich rendering for the command line (part of the CLI layer: the library never imports rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from digicons.scope.catalogue import Catalogue, display_name
from digicons.scope.classify import AggregateAnswer, Answer, ClassAnswer, QueryFailure
from digicons.scope.regions import region_name

if TYPE_CHECKING:
    from digicons.measure.company import CompanyAnswer
    from digicons.measure.result import MeasureResult

# No markup and no emoji codes: names, paths and queries are printed as they are (a name with
# "[/]" made rich raise, ":cat:" became a cat); our styles are given as Text styles.
stdout = Console(markup=False, emoji=False)
stderr = Console(stderr=True, soft_wrap=True, markup=False, emoji=False)


def class_table(answers: list[ClassAnswer]) -> Table:
    table = Table(title="行业代码归类 / classification")
    for header in ("查询", "行业", "数字消费", "小类", "中类", "大类", "规则"):
        table.add_column(header, overflow="fold")
    for answer in answers:
        industry = f"{answer.industry_code} {answer.industry_name or ''}".strip()
        if answer.lineage is None or answer.pattern is None:
            table.add_row(answer.query, industry, "否")
            continue
        major, medium, minor = answer.lineage
        table.add_row(
            answer.query,
            industry,
            Text("是 (部分*)", style="yellow") if answer.partial else Text("是", style="green"),
            f"{minor.code} {minor.name}",
            f"{medium.code} {medium.name}",
            f"{major.code} {major.name}",
            answer.pattern.text,
        )
    return table


def aggregate_tree(answer: AggregateAnswer) -> Tree:
    title = (
        f"{answer.query} → {answer.level.value} {answer.industry_code} {answer.industry_name or ''}"
    )
    tree = Tree(Text(title, style="bold"))
    if not answer.hits:
        tree.add("不含数字消费行业 / no digital-consumption industries")
    for hit in answer.hits:
        major, medium, minor = hit.lineage
        tree.add(
            Text.assemble(
                f"{hit.pattern.text} {hit.pattern.industry_name}",
                (" (*) 部分", "yellow") if hit.pattern.partial else "",
                f" → {minor.code} {minor.name} / {medium.code} {medium.name} / "
                f"{major.code} {major.name}",
            )
        )
    return tree


def print_answers(answers: list[Answer]) -> None:
    classes = [a for a in answers if isinstance(a, ClassAnswer)]
    if classes:
        stdout.print(class_table(classes))
    for answer in answers:
        if isinstance(answer, AggregateAnswer):
            stdout.print(aggregate_tree(answer))
        elif isinstance(answer, QueryFailure):
            error(f"{answer.query!r}: {answer.error}")


def catalogue_tree(catalogue: Catalogue) -> Tree:
    tree = Tree(Text("数字消费覆盖范围 (5 大类 / 22 中类 / 63 小类)", style="bold"))
    for major in catalogue.level("major"):
        major_node = tree.add(Text(f"{major.code} {major.name}", style="bold"))
        for medium in catalogue.children(major.code):
            medium_node = major_node.add(f"{medium.code} {medium.name}")
            for minor in catalogue.children(medium.code):
                patterns = ", ".join(p.text for p in catalogue.patterns_of(minor.code)) or "—"
                star = (" *", "yellow") if catalogue.is_partial(minor.code) else ""
                medium_node.add(
                    Text.assemble(f"{minor.code} {minor.name}", star, "  ", (patterns, "dim"))
                )
    return tree


def print_warnings(result: MeasureResult) -> None:
    """Notes on what was left out, and the warnings of the run: on stderr, for people."""
    for text in result.notes:
        note(text)
    for warning in result.warnings:
        stderr.print(
            Text.assemble(("警告", "bold yellow"), " ", (warning.message, "yellow")),
            highlight=False,
        )


def note(text: str) -> None:
    stderr.print(Text(f"注意：{text}", style="dim"), highlight=False)


def error(message: str, hint: str | None = None) -> None:
    stderr.print(Text.assemble(("error:", "bold red"), " ", (message, "red")), highlight=False)
    if hint:
        stderr.print(Text(hint, style="dim"), highlight=False)


def measure_summary(result: MeasureResult) -> Table:
    """The major categories, as a terminal table."""
    table = Table(
        title=f"{result.period_label} {result.scope_name}（单位：{result.unit}）",
        caption=f"* 含只有部分属于数字消费的行业：{result.treatment.description}",
    )
    for header in ("代码", "名称", "企业数", "营业收入", "同比%", "占比%", "拉动"):
        table.add_column(
            header,
            justify="left" if header in ("代码", "名称") else "right",
            no_wrap=header == "名称",
        )
    for cell in [result.total, *result.level("major")]:
        values = result.values(cell)

        def show(key: str, spec: str, values: dict[str, Any] = values) -> str:
            value = values[key]
            return "—" if value is None else format(value, spec)

        table.add_row(
            cell.code,
            display_name(cell.level, cell.name, cell.partial),
            show("enterprises", ","),
            show("revenue", ",.2f"),
            show("yoy_pct", ".1f"),
            show("share_pct", ".1f"),
            show("pull_pp", ".2f"),
            style="bold" if cell.level == "total" else None,
        )
    return table


def measure_notes(result: MeasureResult) -> list[str]:
    """One line each for the choices a reader of the tables must know."""
    from digicons.outputs.notes import listed_phrase, repeated_phrase

    notes = []
    comparison = result.comparison
    if comparison.source == "files":
        notes.append(
            f"上年同期取自 --prior 文件：本期 {comparison.unmatched_enterprises:,} 家企业未匹配"
            f"（营业收入 {result.convert(comparison.unmatched_revenue):,.2f}），"
            f"上年 {comparison.vanished_enterprises:,} 家企业本期未出现"
            f"{repeated_phrase(comparison.repeated_rows)}。"
        )
    if result.quarter is not None:
        notes.append(
            f"单季度 = 本期累计 − 上期累计：{result.quarter.without_previous:,} 家企业上期无数据，"
            f"上期 {result.quarter.vanished_enterprises:,} 家企业本期未出现"
            f"{repeated_phrase(result.quarter.repeated_rows)}。"
        )
    if result.without_share:
        notes.append(f"{result.without_share:,} 行部分行业缺少折算系数，按全部计入。")
    if result.listed is not None:
        notes.append(listed_phrase(result.listed) + "。")
    if result.disclosure is not None:
        notes.append(f"保密处理：隐蔽 {len(result.suppressed):,} 个单元格。")
    return notes


def reconciliation_table(result: MeasureResult) -> Table:
    from digicons.measure.result import UNCOMPARED
    from digicons.measure.rules import LABELS

    rec = result.reconciliation
    table = Table(title="核对 / reconciliation")
    table.add_column("")
    table.add_column("行数", justify="right")
    table.add_column(f"营业收入（{result.unit}）", justify="right")
    for label, rows, revenue in (
        ("读取 read", rec.rows_read, rec.revenue_read),
        ("数字消费 digital", rec.rows["digital"], rec.revenue["digital"]),
        ("非数字消费 not digital", rec.rows["not_digital"], rec.revenue["not_digital"]),
        ("剔除 rejected", rec.rows["rejected"], rec.revenue["rejected"]),
    ):
        table.add_row(label, f"{rows:,}", f"{result.convert(revenue):,.2f}")
    for reason, (n, revenue) in result.rejects_by_reason.items():
        table.add_row(
            Text(f"  {LABELS[reason]}", style="dim"), f"{n:,}", f"{result.convert(revenue):,.2f}"
        )
    table.add_row("有质量标记 flagged", f"{result.flagged_rows:,}", "")
    if rec.total_rows:
        table.add_row(
            "合计行（不计入）total rows",
            f"{rec.total_rows:,}",
            f"{result.convert(rec.total_revenue):,.2f}",
        )
        for source in result.sources:
            if source.uncompared:
                table.add_row(Text(f"  {source.path.name}：{UNCOMPARED}", style="dim"), "", "")
    return table


def lines_table(result: MeasureResult) -> Table | None:
    """Where every line of each file went, when some lines were not rows read."""
    uneven = [
        s
        for s in result.sources
        if s.blank_lines or s.swallowed_lines or s.total_rows or s.data_lines != s.rows_read
    ]
    if not uneven:
        return None
    table = Table(title="各文件的数据行 / lines of each file")
    for header in ("文件", "数据行", "读取", "空行", "并入跨行记录", "合计行"):
        table.add_column(header, justify="left" if header == "文件" else "right")
    for s in uneven:
        table.add_row(
            s.path.name,
            f"{s.data_lines:,}",
            f"{s.rows_read:,}",
            f"{s.blank_lines:,}",
            f"{s.swallowed_lines:,}",
            f"{s.total_rows:,}",
        )
    return table


STATUS = {
    "digital": ("数字消费", "green"),
    "not_digital": ("非数字消费", ""),
    "rejected": ("剔除", "red"),
}


def _status(key: str) -> Text:
    return Text.assemble(STATUS[key])


def print_company(answer: CompanyAnswer) -> None:
    """The rows found: a card for each of a few (what it is, how it counts, what it weighs in
    its cells), a compact list for many."""
    from digicons.measure.rules import LABELS

    unit = answer.result.unit
    title = f"企业归类查询：{answer.query}（{answer.result.period_label}，{unit}）"
    if len(answer.rows) > 5:
        table = Table(title=title)
        for header in ("文件/行", "名称", "小类", "营业收入", "处理"):
            table.add_column(header, justify="right" if header == "营业收入" else "left")
        for row in answer.rows:
            minor = row.lineage[2] if row.lineage else None
            table.add_row(
                f"{row.file.name} 第{row.row}行",
                row.name or "—",
                "—" if minor is None else f"{minor.code}{'*' if row.partial else ''}",
                "—" if row.revenue is None else f"{row.revenue:,.2f}",
                _status(row.status),
            )
        stdout.print(table)
        return
    stdout.print(Text(title, style="bold"))
    for row in answer.rows:
        card = Table(show_header=False, box=None, padding=(0, 1))
        card.add_column(style="dim", no_wrap=True)
        card.add_column(overflow="fold")
        status = _status(row.status)
        if row.reason:
            status += f"：{LABELS[row.reason]}"
        if row.kept_at:
            status += f"（保留 {row.kept_at[0].name} 第{row.kept_at[1]}行）"
        money = ("—" if row.revenue is None else f"{row.revenue:,.2f}") + (
            "" if row.revenue_prior is None else f"（上年同期 {row.revenue_prior:,.2f}）"
        )
        for label, value in (
            ("文件", f"{row.file} 第{row.row}行"),
            ("统一社会信用代码", row.credit_code or "—"),
            ("名称", row.name or "—"),
            ("行业", " ".join(x for x in (row.industry_code, row.industry_name) if x) or "—"),
            ("地区", f"{row.region} {row.region_name}".strip()),
            (f"营业收入（{unit}）", money),
            ("处理", status),
        ):
            card.add_row(label, value)
        if row.lineage is not None:
            major, medium, minor = row.lineage
            star = "*（只有部分属于数字消费）" if row.partial else ""
            card.add_row("小类", f"{minor.code} {minor.name}{star}")
            if row.partial:
                treatment = answer.result.treatment.description
                counted = (
                    ""
                    if row.revenue is None or row.weight == 1
                    else f"，即 {row.revenue * row.weight:,.2f}"
                )
                card.add_row("部分行业", f"{treatment}：计入 {float(row.weight) * 100:g}%{counted}")
            card.add_row("中类", f"{medium.code} {medium.name}")
            card.add_row("大类", f"{major.code} {major.name}")
            card.add_row("匹配规则", row.pattern or "—")
        for flag in row.flags:
            card.add_row("质量标记", LABELS[flag])
        stdout.print(card)
        if row.cells:
            shares = Table(title="在所计入单元格中的占比", title_justify="left")
            for header in ("单元格", "地区", "占比%"):
                shares.add_column(header, justify="right" if header == "占比%" else "left")
            for cell in row.cells:
                label = {"total": "合计", "major": "大类", "medium": "中类", "minor": "小类"}[
                    cell.level
                ]
                shares.add_row(
                    f"{label} {cell.code}".strip(),
                    "全部地区"
                    if cell.region is None
                    else f"{cell.region} {region_name(cell.region)}",
                    "—" if cell.share_pct is None else f"{cell.share_pct:.2f}",
                )
            stdout.print(shares)
