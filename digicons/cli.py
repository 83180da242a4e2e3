"""The `digicons` command: parses arguments, calls the library, renders, maps errors to exits.

Exit status: 0 success; 1 checks failed (a code that cannot be classified, a company not found,
a warning under --strict); 2 usage; 3 input; 4 output; 5 packaged data; 70 internal error (a bug:
run again with --debug); 130 interrupted (Ctrl-C, SIGTERM, SIGHUP), after cleaning up.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import shlex
import signal
import sys
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from digicons import __version__, console
from digicons.errors import DigiconsError, Interrupted, UsageError
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
_state: dict[str, Any] = {"debug": False, "argv": None, "interrupted": False}
INTERNAL_ERROR = 70
INTERRUPTED = 130

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
        except BaseException:
            # A signal can reach a library that turns it into an error of its own (DuckDB
            # reports an interrupted query): whatever surfaces, an interrupted run exits 130.
            if _state["interrupted"] and not _state["debug"]:
                raise typer.Exit(INTERRUPTED) from None
            raise

    @functools.wraps(command)
    def translated(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return wrapper(*args, **kwargs)
        except DigiconsError as exc:
            if _state["debug"]:
                raise
            console.error(exc.message, exc.hint)
            raise typer.Exit(exc.exit_code) from None
        except (KeyboardInterrupt, Interrupted):
            # Everything was cleaned up on the way here (temporary files, staged outputs).
            raise typer.Exit(INTERRUPTED) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if _state["debug"]:
                raise
            console.error(
                f"内部错误（internal error）：{exc!r}",
                "这是 digicons 的缺陷，不是输入的问题。请用 --debug 重新运行并报告其输出。",
            )
            raise typer.Exit(INTERNAL_ERROR) from None

    return translated


def _version(value: bool) -> None:
    if value:
        typer.echo(f"digicons {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """digicons: measure digital consumption (数字消费) from enterprise data."""
    _state["debug"] = debug


def _code_table(codes: Path | None) -> CodeTable | None:
    path = locate_code_table(codes)
    return None if path is None else load_code_table(path)


def _command_line(context: typer.Context) -> str:
    """The command as typed, for provenance (rebuilt from the options when run in-process)."""
    argv = _state["argv"]
    if argv is not None:
        return shlex.join(["digicons", *argv[1:]])
    parts = ["digicons", context.info_name or ""]
    for name, value in context.params.items():
        default = next((p.default for p in context.command.params if p.name == name), None)
        if value in (None, False, [], ()) or value == default:
            continue
        for item in value if isinstance(value, list | tuple) else [value]:
            parts += [f"--{name.replace('_', '-')}"] if value is True else [f"--{name}", str(item)]
    return shlex.join(parts)


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
        typer.Option(
            "--output",
            "-o",
            help="Where --file writes (default: NAME_classified.EXT; with --json, nothing).",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="CSV encoding of --file: utf-8, gbk or utf-16."),
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
        from digicons.outputs.classified import classified_json, write_classified_file

        if codes_:
            raise UsageError("请给出代码或 --file，不能同时给出（give codes or --file, not both）")
        table = classify_file(classifier, file, column, encoding)
        if not as_json or output is not None:
            target = output or default_output(file)
            write_classified_file(table, target)
            console.stderr.print(
                f"分类 {len(table.rows):,} 行（{len(table.rows)} rows classified），"
                f"数字消费 {table.digital:,} 行，无法归类 {table.failed:,} 行 → {target}"
            )
        if as_json:
            typer.echo(json.dumps(classified_json(table), ensure_ascii=False, indent=2))
        if table.failed:
            raise typer.Exit(1)
        return
    if not codes_:
        raise UsageError(
            "没有给出代码（no codes given）", hint="例如：digicons classify 5292 I6422 52"
        )
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


def _percent(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise UsageError(f"--max-rejected '{text}' 不是百分比（not a percentage）") from None
    if not Decimal(0) <= value <= Decimal(100):
        raise UsageError(f"--max-rejected {text}：应在 0 到 100 之间（must be in [0, 100]）")
    return value


@app.command()
@handled
def measure(
    context: typer.Context,
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="INPUT...", help="CSV/Excel/Parquet files, folders or globs."),
    ],
    period: Annotated[
        str | None,
        typer.Option("--period", "-p", help="Quarter of the data, e.g. 2024Q3 (报告期)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Excel workbook to write (.xlsx).")
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
        str | None,
        typer.Option("--encoding", help="Force the CSV encoding: utf-8, gbk or utf-16."),
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
    protection: Annotated[
        str,
        typer.Option(
            "--protection",
            help="With --confidential: a hidden sensitive value must stay uncertain by at least "
            "this % below and above (default 10, as τ-Argus's MAN(10)).",
        ),
    ] = "10",
    max_rejected: Annotated[
        str,
        typer.Option(
            "--max-rejected", help="Warn when more than this % of the rows read are rejected."
        ),
    ] = "5",
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Every warning is a failure: exit 1, nothing written."),
    ] = False,
) -> None:
    """Measure digital consumption: enterprise revenue → 大类/中类/小类 tables. 数字消费测算.

    Every row ends up digital, not digital, or rejected with a reason; the counts and sums
    reconcile. Writes the Excel workbook (default digicons-PERIOD.xlsx) atomically.

    Example: digicons measure data/sample/ --period 2024Q3 -o tables.xlsx --json result.json
    """
    # Imported here: duckdb, pyarrow and the writers take a second to load, `classify` needs none.
    from digicons.inputs.files import expand_inputs
    from digicons.inputs.headers import parse_column_overrides
    from digicons.measure import MeasureOptions
    from digicons.measure import measure as run_measure
    from digicons.measure.disclosure import DisclosureRules, parse_dominance, parse_protection
    from digicons.measure.partial import parse_treatment
    from digicons.outputs import check_outputs, write_all
    from digicons.outputs.jsondoc import dumps, result_json
    from digicons.outputs.measured import default_workbook, plan_measure_outputs
    from digicons.outputs.staging import check_writable
    from digicons.scope.regions import parse_level

    rules = None
    if confidential:
        n, k = parse_dominance(dominance)
        rules = DisclosureRules(min_enterprises, n, k, parse_protection(protection))
    codes_table = _code_table(codes)
    options = MeasureOptions(
        inputs=inputs,
        period=period,
        input_unit=input_unit,
        unit=unit,
        encoding=encoding,
        columns=parse_column_overrides(columns or []),
        sheet=sheet,
        codes=codes_table,
        prior=prior or [],
        previous=quarter_only or [],
        region_level=parse_level(region_level),
        partial=parse_treatment(partial, partial_file),
        bounds=bounds,
        disclosure=rules,
        max_rejected=_percent(max_rejected),
        strict=strict,
        command=_command_line(context),
    )
    json_stdout = json_path is not None and str(json_path) == "-"
    json_file = None if json_stdout else json_path
    # Everything read may not be written over: checked before any work, and again on writing.
    protected = [
        *expand_inputs([*inputs, *(prior or []), *(quarter_only or [])]).paths,
        *(p for p in (partial_file, codes_table.source if codes_table else None) if p),
    ]
    planned = [(p, kind) for p, kind in ((output, "workbook"), (json_file, "json")) if p]
    planned += [(rejects, "rejects")] if rejects else []
    check_outputs(planned, protected)
    for target, _ in planned:
        check_writable(target)
    with console.stderr.status("measuring…") as status:
        result = run_measure(options, progress=status.update)
    if _state["interrupted"]:  # a signal some library swallowed: stop before writing anything
        result.close()
        raise Interrupted()
    try:
        document = result_json(result)
        outputs = plan_measure_outputs(
            result, document, output or default_workbook(result), json_file, rejects
        )
        files = write_all(outputs, protected)
    finally:
        result.close()
    screen = console.stderr if json_stdout else console.stdout
    screen.print(console.measure_summary(result))
    screen.print(console.reconciliation_table(result))
    lines = console.lines_table(result)
    if lines is not None:
        screen.print(lines)
    for note in console.measure_notes(result):
        screen.print(note)
    console.print_warnings(result)
    written = "、".join(str(f) for f in files)
    console.stderr.print(f"已写出（written）：{written}")
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
    regions: Annotated[
        str,
        typer.Option("--regions", help="beijing (the 16 districts) or provinces (the 31)."),
    ] = "beijing",
) -> None:
    """Write a deterministic synthetic quarter of enterprise data. 生成样例数据.

    Example: digicons sample --rows 1000000 --period 2024Q3 -o big.parquet
    """
    from digicons.sample import SampleSpec, write_sample

    if regions not in ("beijing", "provinces"):
        raise UsageError(f"--regions {regions}：应为 beijing 或 provinces")
    spec = SampleSpec(rows, parse_period(period), seed, dirty_rate, regions)
    written = write_sample(spec, output)
    console.stderr.print(f"{written:,} 行 → {output}")


def _stop(signum: int, _frame: FrameType | None) -> None:
    """Ctrl-C, SIGTERM and SIGHUP stop a run the same way: unwinding, so that every temporary
    file and staged output is removed on the way out. The flag survives a library that catches
    the interrupt and reports it as an error of its own."""
    _state["interrupted"] = True
    raise KeyboardInterrupt


def main() -> Any:
    """Console-script entry point."""
    _state["argv"] = list(sys.argv)
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    return app()
