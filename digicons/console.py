"""Rich rendering for the command line (part of the CLI layer: the library never imports rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from digicons.catalogue import Catalogue
from digicons.classify import AggregateAnswer, Answer, ClassAnswer, QueryFailure

stdout = Console()
stderr = Console(stderr=True, soft_wrap=True)


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
            "[yellow]是 (部分*)[/yellow]" if answer.partial else "[green]是[/green]",
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
    tree = Tree(f"[bold]{title}[/bold]")
    if not answer.hits:
        tree.add("不含数字消费行业 / no digital-consumption industries")
    for hit in answer.hits:
        major, medium, minor = hit.lineage
        star = " [yellow](*) 部分[/yellow]" if hit.pattern.partial else ""
        tree.add(
            f"{hit.pattern.text} {hit.pattern.industry_name}{star} → "
            f"{minor.code} {minor.name} / {medium.code} {medium.name} / {major.code} {major.name}"
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
    tree = Tree("[bold]数字消费覆盖范围 (5 大类 / 22 中类 / 63 小类)[/bold]")
    for major in catalogue.level("major"):
        major_node = tree.add(f"[bold]{major.code} {major.name}[/bold]")
        for medium in catalogue.children(major.code):
            medium_node = major_node.add(f"{medium.code} {medium.name}")
            for minor in catalogue.children(medium.code):
                patterns = ", ".join(p.text for p in catalogue.patterns_of(minor.code)) or "—"
                star = " [yellow]*[/yellow]" if catalogue.is_partial(minor.code) else ""
                medium_node.add(f"{minor.code} {minor.name}{star}  [dim]{patterns}[/dim]")
    return tree


def error(message: str, hint: str | None = None) -> None:
    stderr.print(f"[bold red]error:[/bold red] [red]{message}[/red]", highlight=False)
    if hint:
        stderr.print(f"[dim]{hint}[/dim]", highlight=False)
