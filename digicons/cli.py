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
from digicons.errors import DigiconsError, UsageError
from digicons.period import parse_period
from digicons.scope.catalogue import catalogue_records, catalogue_tree, load_catalogue
from digicons.scope.classify import (
    Classifier,
    QueryFailure,
    answer_to_dict,
    classify_file,
    default_output,
)
from digicons.scope.codetable import CodeTable, load_code_table, locate_code_table

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
        from digicons.inputs.files import file_kind
        from digicons.outputs import Output, write_all
        from digicons.outputs.classified import check_classified_target, write_classified

        if codes_:
            raise UsageError("give codes or --file, not both")
        target = output or default_output(file)
        check_classified_target(target)
        table = classify_file(classifier, file, column, encoding)
        kind = file_kind(target)
        write_all([Output(target, "classified", lambda temp: write_classified(table, temp, kind))])
        console.stderr.print(
            f"{len(table.rows)} rows classified, {table.digital} digital, "
            f"{table.failed} not classifiable → {target}"
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


@app.command()
@handled
def measure(
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="INPUT...", help="CSV/Excel/Parquet files, folders or globs."),
    ],
    period: Annotated[
        str | None,
        typer.Option("--period", "-p", help="Quarter of the data, e.g. 2024Q3 (报告期)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Excel workbook to write.")
    ] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Write the results as JSON ('-' for stdout).")
    ] = None,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Write every rejected row to this CSV.")
    ] = None,
    input_unit: Annotated[
        str | None, typer.Option("--input-unit", help="Revenue unit of the input (default 千元).")
    ] = None,
    unit: Annotated[
        str, typer.Option("--unit", help="Unit of the tables: 元/千元/万元/亿元.")
    ] = "万元",
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Force the CSV encoding: utf-8 or gbk.")
    ] = None,
    columns: Annotated[
        list[str] | None,
        typer.Option("--columns", help="Map headers: revenue=本季收入,name=单位名称."),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            help="Workbook sheet to read (name, or number from 1). "
            "Default: the one sheet with the required headers.",
        ),
    ] = None,
    codes: CodesOption = None,
    prior: Annotated[
        list[Path] | None,
        typer.Option(
            "--prior", help="Last year's same-period file(s): the comparable base (同口径)."
        ),
    ] = None,
    quarter_only: Annotated[
        list[Path] | None,
        typer.Option(
            "--quarter-only",
            help="Previous cumulative file(s) of the same year: derive the single quarter.",
        ),
    ] = None,
    region_level: Annotated[
        str, typer.Option("--region-level", help="Roll regions up: province, city or county.")
    ] = "county",
    partial: Annotated[
        str,
        typer.Option("--partial", help="Partial (*) industries: full, exclude, shares or list."),
    ] = "full",
    partial_file: Annotated[
        Path | None,
        typer.Option("--partial-file", help="The shares CSV or enterprise list for --partial."),
    ] = None,
    bounds: Annotated[
        bool, typer.Option("--bounds", help="Show lower and upper bounds side by side.")
    ] = False,
    confidential: Annotated[
        bool, typer.Option("--confidential", help="Suppress disclosive cells (保密处理).")
    ] = False,
    min_enterprises: Annotated[
        int, typer.Option("--min-enterprises", help="With --confidential: fewest enterprises.")
    ] = 3,
    dominance: Annotated[
        str, typer.Option("--dominance", help="With --confidential: top n hold > k% (n,k).")
    ] = "2,85",
) -> None:
    """Measure digital consumption: enterprise revenue → 大类/中类/小类 tables. 数字消费测算.

    Every row ends up digital, not digital, or rejected with a reason; the counts and sums
    reconcile. Writes the Excel workbook (default digicons-PERIOD.xlsx) atomically.

    Example: digicons measure data/sample/ --period 2024Q3 -o tables.xlsx --json result.json
    """
    # Imported here: duckdb, pyarrow and openpyxl take a second to load, which `classify` needs not.
    from digicons.inputs.headers import parse_column_overrides
    from digicons.measure import MeasureOptions
    from digicons.measure import measure as run_measure
    from digicons.measure.disclosure import DisclosureRules, parse_dominance
    from digicons.measure.partial import parse_treatment
    from digicons.outputs import write_all
    from digicons.outputs.jsondoc import dumps, result_json
    from digicons.outputs.measured import default_workbook, plan_measure_outputs
    from digicons.outputs.staging import check_writable
    from digicons.scope.regions import parse_level

    rules = None
    if confidential:
        n, k = parse_dominance(dominance)
        rules = DisclosureRules(min_enterprises, n, k)
    options = MeasureOptions(
        inputs=inputs,
        period=period,
        input_unit=input_unit,
        unit=unit,
        encoding=encoding,
        columns=parse_column_overrides(columns or []),
        sheet=sheet,
        codes=_code_table(codes),
        prior=prior or [],
        previous=quarter_only or [],
        region_level=parse_level(region_level),
        partial=parse_treatment(partial, partial_file),
        bounds=bounds,
        disclosure=rules,
    )
    json_stdout = json_path is not None and str(json_path) == "-"
    json_file = None if json_stdout else json_path
    for target in (p for p in (output, rejects, json_file) if p is not None):
        check_writable(target)
    with console.stderr.status("measuring…") as status:
        result = run_measure(options, progress=status.update)
    try:
        document = result_json(result)
        outputs = plan_measure_outputs(
            result, document, output or default_workbook(result), json_file, rejects
        )
        files = write_all(outputs)
    finally:
        result.close()
    screen = console.stderr if json_stdout else console.stdout
    screen.print(console.measure_summary(result))
    screen.print(console.reconciliation_table(result))
    for note in console.measure_notes(result):
        screen.print(note)
    console.print_warnings(result)
    written = ", ".join(str(f) for f in files)
    console.stderr.print(f"written: {written}")
    if json_stdout:
        typer.echo(dumps(document))


@app.command()
@handled
def sample(
    rows: Annotated[int, typer.Option("--rows", "-n", help="Number of enterprises.")] = 3000,
    period: Annotated[str, typer.Option("--period", "-p", help="Quarter, e.g. 2024Q3.")] = "2024Q3",
    output: Annotated[Path, typer.Option("--output", "-o", help=".parquet or .csv")] = Path(
        "sample.parquet"
    ),
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same file).")] = 2021,
    dirty_rate: Annotated[
        float, typer.Option("--dirty-rate", help="Share of rows given a deliberate defect.")
    ] = 0.002,
) -> None:
    """Write a deterministic synthetic quarter of enterprise data. 生成样例数据.

    Example: digicons sample --rows 1000000 --period 2024Q3 -o big.parquet
    """
    from digicons.sample import SampleSpec, write_sample

    spec = SampleSpec(rows, parse_period(period), seed, dirty_rate)
    written = write_sample(spec, output)
    console.stderr.print(f"{written:,} rows → {output}")


def main() -> Any:
    """Console-script entry point."""
    return app()
