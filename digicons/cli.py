"""The `digicons` command: parses arguments, calls the library, renders, maps errors to exits.

Exit status: 0 success; 1 checks failed (a code that cannot be classified, a company not found,
a warning under --strict); 2 usage; 3 input; 4 output; 5 packaged data; 70 internal error (a bug:
run again with --debug); 130 interrupted (Ctrl-C, SIGTERM, SIGHUP), after cleaning up.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import functools
import gc
import importlib.abc
import io
import os
import shlex
import signal
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from enum import StrEnum
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import FrameType, ModuleType
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeAlias, TypeVar

import typer

from digicons import __version__, console
from digicons.errors import DigiconsError, Interrupted, UsageError, first_line
from digicons.outputs import dumps
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
from digicons.units import parse_percent

if TYPE_CHECKING:
    from digicons.measure import MeasureOptions

app = typer.Typer(
    help="digicons: measure digital consumption (数字消费) from enterprise data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Markdown joins the lines of a docstring's paragraph before wrapping it to the terminal
    # (rich mode keeps every line break, then wraps again: ragged paragraphs).
    rich_markup_mode="markdown",
)
P = ParamSpec("P")
R = TypeVar("R")
_state: dict[str, Any] = {"debug": False, "argv": None, "interrupted": False}
INTERNAL_ERROR = 70
INTERRUPTED = 130
UnraisableHook: TypeAlias = Callable[[Any], object]


def _flag(name: str, help: str, **more: Any) -> Any:
    """An option that takes no value. Typer's help shows each option's type, a flag's too
    (`--bounds <bool>`, read as asking for a value: `--bounds true` took "true" for an input
    file): a flag's metavar is empty."""
    return typer.Option(name, help=help, metavar="", **more)


OverwriteOption = Annotated[
    bool,
    _flag(
        "--overwrite",
        "Replace an existing output file digicons did not write (its own it always replaces).",
    ),
]
CodesOption = Annotated[
    Path | None,
    typer.Option(
        "--codes",
        help="Official GB/T 4754-2017 code table (CSV/Excel: code, name). "
        "Default: $DIGICONS_CODES, then ~/.config/digicons/codes.csv.",
        show_default=False,
    ),
]

PeriodOption = Annotated[
    str | None,
    typer.Option("--period", "-p", help="Quarter of the data, e.g. 2024Q3 (报告期)."),
]
UnitOption = Annotated[
    str, typer.Option("--unit", help="Unit of amounts: 元/千元/万元/百万元/亿元.")
]
InputUnitOption = Annotated[
    str | None, typer.Option("--input-unit", help="Revenue unit of the input (default 千元).")
]
EncodingOption = Annotated[
    str | None,
    typer.Option("--encoding", help="Force the CSV encoding: utf-8, gbk or utf-16."),
]
ColumnsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--columns",
        help="Map headers: revenue=本年营业收入,name=单位名称 (by place: revenue=第5列).",
        metavar="KEY=HEADER,...",
    ),
]
SheetOption = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        help="Workbook sheet to read (name, or number from 1), or 'all': every sheet with the "
        "required headers (a sheet per district). Default: the one sheet with them.",
    ),
]
RegionLevelOption = Annotated[
    str, typer.Option("--region-level", help="Roll regions up: province, city or county.")
]
PriorOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--prior",
        help="Last year's same-period file: the comparable base (同口径); repeat the option for "
        "several files.",
        metavar="FILE",
    ),
]
QuarterOnlyOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--quarter-only",
        help="Previous cumulative file of the same year: derive the single quarter; repeat the "
        "option for several files.",
        metavar="FILE",
    ),
]
PartialOption = Annotated[
    str, typer.Option("--partial", help="Partial (*) industries: full, exclude, shares or list.")
]
PartialFileOption = Annotated[
    Path | None,
    typer.Option("--partial-file", help="The shares CSV or enterprise list for --partial."),
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
            # The type and the first line of the message: a repr can hold a whole input (a
            # UnicodeDecodeError carries every byte it was decoding); --debug shows everything.
            console.error(
                f"内部错误（internal error）：{type(exc).__name__}: {first_line(exc)[:300]}",
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
    debug: Annotated[bool, _flag("--debug", "Show tracebacks.")] = False,
    version: Annotated[
        bool,
        _flag("--version", "Print the version.", callback=_version, is_eager=True),
    ] = False,
) -> None:
    """digicons: measure digital consumption (数字消费) from enterprise data."""
    _state["debug"] = debug


def _code_table(codes: Path | None) -> CodeTable | None:
    path = locate_code_table(codes)
    return None if path is None else load_code_table(path)


def _reading(
    inputs: list[Path],
    period: str | None,
    input_unit: str | None,
    unit: str,
    encoding: str | None,
    columns: list[str] | None,
    sheet: str | None,
    codes: Path | None,
) -> MeasureOptions:
    """How the enterprise files are read: the options measure and company share."""
    from digicons.inputs.headers import parse_column_overrides
    from digicons.measure import MeasureOptions

    return MeasureOptions(
        inputs=inputs,
        period=period,
        input_unit=input_unit,
        unit=unit,
        encoding=encoding,
        columns=parse_column_overrides(columns or []),
        sheet=sheet,
        codes=_code_table(codes),
    )


def _json_target(json_path: Path | None) -> tuple[bool, Path | None]:
    """`--json -` prints the document on stdout; any other value names a file."""
    to_stdout = json_path is not None and str(json_path) == "-"
    return to_stdout, None if to_stdout else json_path


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
    as_json: Annotated[bool, _flag("--json", "Print a JSON array.")] = False,
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
    overwrite: OverwriteOption = False,
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
            write_classified_file(table, target, overwrite=overwrite)
            console.stderr.print(
                f"分类 {len(table.rows):,} 行（{len(table.rows)} rows classified），"
                f"数字消费 {table.digital:,} 行，无法归类 {table.failed:,} 行 → {target}"
            )
        if as_json:
            typer.echo(dumps(classified_json(table)))
        if table.failed:
            raise typer.Exit(1)
        return
    if not codes_:
        raise UsageError(
            "没有给出代码（no codes given）", hint="例如：digicons classify 5292 I6422 52"
        )
    answers = [classifier.classify(query) for query in codes_]
    if as_json:
        typer.echo(dumps([answer_to_dict(a) for a in answers]))
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
        typer.echo(dumps(catalogue_tree(cat)))
    else:
        records = catalogue_records(cat)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        sys.stdout.write(buffer.getvalue())


def _percent(text: str) -> Decimal:
    value = parse_percent(text, "--max-rejected")
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
    period: PeriodOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Excel workbook to write (.xlsx).")
    ] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Write the results as JSON ('-' for stdout).")
    ] = None,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Write every rejected row to this CSV.")
    ] = None,
    input_unit: InputUnitOption = None,
    unit: UnitOption = "万元",
    encoding: EncodingOption = None,
    columns: ColumnsOption = None,
    sheet: SheetOption = None,
    codes: CodesOption = None,
    prior: PriorOption = None,
    quarter_only: QuarterOnlyOption = None,
    region_level: RegionLevelOption = "county",
    partial: PartialOption = "full",
    partial_file: PartialFileOption = None,
    bounds: Annotated[
        bool,
        _flag("--bounds", "Show lower and upper bounds side by side."),
    ] = False,
    confidential: Annotated[
        bool,
        _flag("--confidential", "Suppress disclosive cells (保密处理)."),
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
        _flag("--strict", "Every warning is a failure: exit 1, nothing written."),
    ] = False,
    overwrite: OverwriteOption = False,
) -> None:
    """Measure digital consumption: enterprise revenue → 大类/中类/小类 tables. 数字消费测算.

    Every row ends up digital, not digital, or rejected with a reason; the counts and sums
    reconcile. Writes the Excel workbook (default digicons-PERIOD.xlsx) atomically.

    Example: digicons measure data/sample/ --period 2024Q3 -o tables.xlsx --json result.json
    """
    # Imported here: duckdb, pyarrow and the writers take a second to load, `classify` needs none.
    from digicons.inputs.files import expand_inputs
    from digicons.measure import measure as run_measure
    from digicons.measure.disclosure import DisclosureRules, parse_dominance, parse_protection
    from digicons.measure.partial import parse_treatment
    from digicons.outputs import check_outputs, write_all
    from digicons.outputs.jsondoc import result_json
    from digicons.outputs.measured import beside_workbook, default_workbook, plan_measure_outputs
    from digicons.scope.regions import parse_level

    rules = None
    if confidential:
        n, k = parse_dominance(dominance)
        rules = DisclosureRules(min_enterprises, n, k, parse_protection(protection))
    reading = _reading(inputs, period, input_unit, unit, encoding, columns, sheet, codes)
    options = dataclasses.replace(
        reading,
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
    json_stdout, json_file = _json_target(json_path)
    # Everything read may not be written over: checked before any work, and again on writing.
    protected = [
        *expand_inputs([*inputs, *(prior or []), *(quarter_only or [])]).paths,
        *(p for p in (partial_file, reading.codes.source if reading.codes else None) if p),
    ]
    # The default workbook's name is known when --period is given; else after reading.
    workbook = output or (
        default_workbook(parse_period(options.period)) if options.period else None
    )
    planned = beside_workbook(workbook) if workbook else []
    planned += [(p, kind) for p, kind in ((json_file, "json"), (rejects, "rejects")) if p]
    check_outputs(planned, protected, overwrite=overwrite)
    with console.stderr.status("measuring…") as status:
        result = run_measure(options, progress=_watch(status.update))
    if _state["interrupted"]:  # a signal some library swallowed: stop before writing anything
        result.close()
        raise Interrupted()
    try:
        document = result_json(result)
        outputs = plan_measure_outputs(
            result, document, output or default_workbook(result.period), json_file, rejects
        )
        files = write_all(outputs, protected, overwrite=overwrite)
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
def company(
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY...",
            help="A credit code (case and spaces ignored), or words of the name (all must match).",
        ),
    ],
    inputs: Annotated[
        list[Path],
        typer.Option(
            "--in",
            help="An enterprise file, read exactly as measure reads it; repeat the option for "
            "several files.",
            metavar="FILE",
        ),
    ],
    period: PeriodOption = None,
    as_json: Annotated[bool, _flag("--json", "Print a JSON array.")] = False,
    unit: UnitOption = "万元",
    input_unit: InputUnitOption = None,
    encoding: EncodingOption = None,
    columns: ColumnsOption = None,
    sheet: SheetOption = None,
    region_level: RegionLevelOption = "county",
    codes: CodesOption = None,
    prior: PriorOption = None,
    quarter_only: QuarterOnlyOption = None,
    partial: PartialOption = "full",
    partial_file: PartialFileOption = None,
) -> None:
    """Which category is this company in, and what does it weigh in its cells? 企业归类查询.

    Its cells are those measure publishes with the same options (--prior, --quarter-only,
    --partial): give the ones the tables were made with.

    Example: digicons company 字节跳动 --in data/sample/ --period 2024Q3
    """
    from digicons.measure.company import LIMIT, find_company
    from digicons.measure.partial import parse_treatment
    from digicons.scope.regions import parse_level

    options = dataclasses.replace(
        _reading(inputs, period, input_unit, unit, encoding, columns, sheet, codes),
        prior=prior or [],
        previous=quarter_only or [],
        region_level=parse_level(region_level),
        partial=parse_treatment(partial, partial_file),
    )
    with console.stderr.status("measuring…") as status:
        answer = find_company(options, query, progress=_watch(status.update))
    answer.result.close()
    if not answer.rows:
        console.error(
            f"没有找到匹配的企业：{answer.query}（no enterprise matches）",
            "统一社会信用代码须完整（18位）；名称可给一个或几个词，每个词都须出现在名称中。",
        )
        raise typer.Exit(1)
    if as_json:
        from digicons.outputs.company import company_json

        typer.echo(dumps(company_json(answer)))
    else:
        console.print_company(answer)
    if answer.matches > LIMIT:
        console.stderr.print(
            f"共 {answer.matches:,} 行匹配，仅列出前 {LIMIT} 行（{answer.matches} matches）"
        )


@app.command()
@handled
def series(
    results: Annotated[
        list[Path],
        typer.Argument(metavar="RESULT.json...", help="JSON results of measure, one per period."),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Excel workbook to write (.xlsx)."),
    ] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Write the series as JSON ('-' for stdout).")
    ] = None,
    overwrite: OverwriteOption = False,
) -> None:
    """The categories over the quarters: several measure results side by side. 时间序列.

    Example: digicons series 2024Q1.json 2024Q2.json 2024Q3.json -o series.xlsx
    """
    from digicons.outputs import Output, check_outputs, write_all
    from digicons.outputs.jsondoc import write_json
    from digicons.outputs.series import series_json, write_series_workbook
    from digicons.series import build

    json_stdout, json_file = _json_target(json_path)
    planned = [(p, kind) for p, kind in ((output, "series"), (json_file, "json")) if p]
    check_outputs(planned, results, overwrite=overwrite)
    made = build(results)
    workbook = output or Path(f"digicons-series-{made.periods[0].key}-{made.periods[-1].key}.xlsx")
    document = series_json(made)
    outputs = [Output(workbook, "series", lambda temp: write_series_workbook(made, temp))]
    if json_file is not None:
        outputs.append(Output(json_file, "json", lambda temp: write_json(document, temp)))
    files = write_all(outputs, results, overwrite=overwrite)
    for note in made.notes:
        console.note(note)
    console.stderr.print(
        f"{len(made.periods)} 期（{'、'.join(p.key for p in made.periods)}）→ "
        + "、".join(str(f) for f in files)
    )
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
    scale: Annotated[
        float,
        typer.Option(
            "--scale",
            help="Multiply revenue and 上年同期 (an earlier quarter of the same year: "
            "the same enterprises with less cumulative revenue).",
        ),
    ] = 1.0,
    overwrite: Annotated[bool, _flag("--overwrite", "Replace the file if it exists.")] = False,
) -> None:
    """Write a deterministic synthetic quarter of enterprise data. 生成样例数据.

    Example: digicons sample --rows 1000000 --period 2024Q3 -o big.parquet
    """
    from digicons.sample import SampleSpec, write_sample

    if regions not in ("beijing", "provinces"):
        raise UsageError(f"--regions {regions}：应为 beijing 或 provinces")
    spec = SampleSpec(rows, parse_period(period), seed, dirty_rate, regions, scale)
    written = write_sample(spec, output, overwrite=overwrite)
    console.stderr.print(f"{written:,} 行 → {output}")


def _stop(signum: int, _frame: FrameType | None) -> None:
    """Ctrl-C, SIGTERM and SIGHUP stop a run the same way: unwinding, so that every temporary
    file and staged output is removed on the way out. The flag survives a library that catches
    the interrupt and reports it as an error of its own.

    Our own exception, not KeyboardInterrupt: Python remembers a KeyboardInterrupt that reaches
    the top of a program even after it was handled there, and then ends the process by SIGINT
    (exit -2) instead of the status we chose."""
    _state["interrupted"] = True
    raise Interrupted()


def _unraisable(hook: UnraisableHook) -> UnraisableHook:
    """Python cannot raise from a weak-reference callback or a finaliser, so an interrupt landing
    there is printed ("Exception ignored …") and dropped. The flag has recorded it (the run stops
    at the next stage); the message would only be a traceback to the user."""

    def quiet(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, Interrupted | KeyboardInterrupt):
            hook(unraisable)

    return quiet


def _watch(report: Callable[[str], object]) -> Callable[[str], None]:
    """Progress reports that also stop the run, between stages, if an interrupt was dropped."""

    def progress(message: str) -> None:
        if _state["interrupted"]:
            raise Interrupted()
        report(message)

    return progress


_GC_THRESHOLD = 50_000


class _NoPandas(importlib.abc.MetaPathFinder):
    """digicons needs no pandas, but pyarrow, when pandas is installed (where the bench runs, and
    in most offices' Python), imports it on its first conversion of Python values: 0.2 s of
    every run. The command line runs as if pandas were not installed, a setup the tests cover
    (tests/test_packaging.py)."""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name == "pandas":
            raise ModuleNotFoundError("digicons runs without pandas", name=name)
        return None


def main() -> Any:
    """Console-script entry point."""
    _state["argv"] = list(sys.argv)
    # A run makes hundreds of thousands of objects that live to its end (the rows of the issues,
    # the cells of the listing): with Python's default (a collection every 700 new objects) the
    # collector walked them some 400 times on 10M rows, 0.1 s. A process this short-lived
    # collects rarely; library callers keep their own setting.
    gc.set_threshold(_GC_THRESHOLD, *gc.get_threshold()[1:])
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _NoPandas())
    sys.unraisablehook = _unraisable(sys.unraisablehook)
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    return app()


def entry() -> NoReturn:
    """The console script (`digicons`, `python -m digicons`): `main`, then out of the process
    without Python's teardown of its modules and memory (0.07-0.08 s after a 10M-row measure).
    By then everything digicons writes is closed and renamed into place and its scratch folder
    removed (each command does so before it returns, or fails); only the standard streams are
    left to flush. `main` itself returns (or raises SystemExit) for callers in Python."""
    try:
        main()
        code: object = 0
    except SystemExit as stop:
        code = stop.code
    if isinstance(code, str):  # sys.exit("message"), as Python prints it
        print(code, file=sys.stderr)
    status = code if isinstance(code, int) else 0 if code is None else 1
    for stream in (sys.stdout, sys.stderr):
        # A reader that closed the pipe (| head) wanted no more.
        with contextlib.suppress(BrokenPipeError, OSError):
            stream.flush()
    os._exit(status)
