"""The `digicons` command: parses arguments, calls the library, renders, maps errors to exits."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from digicons import console
from digicons.catalogue import catalogue_records, catalogue_tree, load_catalogue
from digicons.classify import Classifier, QueryFailure, answer_to_dict, classify_file
from digicons.codetable import CodeTable, load_code_table, locate_code_table
from digicons.errors import DigiconsError, UsageError

app = typer.Typer(
    help="digicons: measure digital consumption (数字消费) from enterprise data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
P = ParamSpec("P")
R = TypeVar("R")
_state = {"debug": False}
INTERNAL_ERROR = 70

CodesOption = Annotated[
    Path | None,
    typer.Option(
        "--codes",
        help="Official GB/T 4754-2017 code table (CSV/Excel: code, name). "
        "Default: $DIGICONS_CODES, then ~/.config/digicons/codes.csv.",
        show_default=False,
    ),
]


def handled(command: Callable[P, R]) -> Callable[P, R]:
    """Turn DigiconsError into a red message on stderr and its exit status; no tracebacks."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except DigiconsError as exc:
            if _state["debug"]:
                raise
            console.error(exc.message, exc.hint)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if _state["debug"]:
                raise
            console.error(f"internal error: {exc!r}", "Run again with --debug for the traceback.")
            raise typer.Exit(INTERNAL_ERROR) from None

    return wrapper


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """digicons: measure digital consumption (数字消费) from enterprise data."""
    _state["debug"] = debug


def _code_table(codes: Path | None) -> CodeTable | None:
    path = locate_code_table(codes)
    return None if path is None else load_code_table(path)


@app.command()
@handled
def classify(
    codes_: Annotated[
        list[str] | None,
        typer.Argument(metavar="CODE...", help="Industry codes: 5292, I6422, 52, 527, F."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    file: Annotated[
        Path | None,
        typer.Option("--file", "-f", help="Classify the industry-code column of a CSV/Excel file."),
    ] = None,
    column: Annotated[
        str | None, typer.Option("--column", help="Header of the code column in --file.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where --file writes (default: NAME_classified.EXT)."),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="CSV encoding of --file: utf-8 or gbk.")
    ] = None,
    codes: CodesOption = None,
) -> None:
    """Which digital-consumption category is an industry code in? 行业代码归类.

    A 4-digit class gets its major / medium / minor category; a division, group or section lists
    the categories inside it. Exit status 1 when a code is malformed or not a class.

    Example: digicons classify 5292 I6422 52 --json
    """
    classifier = Classifier(load_catalogue(), _code_table(codes))
    if file is not None:
        if codes_:
            raise UsageError("give codes or --file, not both")
        result = classify_file(classifier, file, output, column, encoding)
        console.stderr.print(
            f"{result.rows} rows classified, {result.digital} digital, "
            f"{result.failed} not classifiable → {result.output}"
        )
        return
    if not codes_:
        raise UsageError("no codes given", hint="Example: digicons classify 5292 I6422 52")
    answers = [classifier.classify(query) for query in codes_]
    if as_json:
        typer.echo(json.dumps([answer_to_dict(a) for a in answers], ensure_ascii=False, indent=2))
    else:
        console.print_answers(answers)
    if any(isinstance(a, QueryFailure) for a in answers):
        raise typer.Exit(1)


class CatalogueFormat(StrEnum):
    tree = "tree"
    csv = "csv"
    json = "json"


@app.command()
@handled
def catalogue(
    fmt: Annotated[
        CatalogueFormat, typer.Option("--format", help="tree (terminal), csv or json.")
    ] = CatalogueFormat.tree,
) -> None:
    """Print the 5 / 22 / 63 categories with their industry patterns (* = partial). 分类目录.

    Example: digicons catalogue --format csv > catalogue.csv
    """
    cat = load_catalogue()
    if fmt is CatalogueFormat.tree:
        console.stdout.print(console.catalogue_tree(cat))
    elif fmt is CatalogueFormat.json:
        typer.echo(json.dumps(catalogue_tree(cat), ensure_ascii=False, indent=2))
    else:
        records = catalogue_records(cat)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        sys.stdout.write(buffer.getvalue())


def main() -> Any:
    """Console-script entry point."""
    return app()
