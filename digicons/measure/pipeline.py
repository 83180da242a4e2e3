"""The main job: enterprise files in, the published tables out, every row accounted for.

Stages (each a query of `queries/`, decoded strictly by `measure.assemble`):

0. `keys.sql`: the distinct (file, industry code, region, period) values as read; each is
   normalised, classified and judged once, in Python (`measure.keys`).
1. the credit-code pass (`measure.marks`): repeated codes and check-digit failures.
2. `judged.sql` → `fine.sql`: the one scan of every row, into a small table of groups.
3. `settled.sql` → `levels.sql`, `issues.sql`, `vanished.sql`: duplicates, statuses, weights and
   every published level, from the small table only.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import duckdb
import pyarrow as pa

from digicons import __version__
from digicons.errors import InternalError, UsageError
from digicons.inputs.files import expand_inputs, input_kind
from digicons.inputs.headers import KEYS, normalise_header
from digicons.inputs.normalise import period as period_of
from digicons.inputs.sources import InputFile, SourceOptions, input_unit, register_all
from digicons.measure import assemble, rules
from digicons.measure.disclosure import disclose
from digicons.measure.duck import Progress, Runner, connect
from digicons.measure.guards import (
    RunWarning,
    check_counted,
    check_distinct_inputs,
    check_footer_units,
    check_input_spans,
    check_not_an_input,
    check_side_period,
    check_side_unit,
    check_strict,
    warnings_of,
)
from digicons.measure.keys import (
    RawKey,
    judge_keys,
    periods_named,
    unrecognised_periods,
    written_names_note,
)
from digicons.measure.marks import mark_codes
from digicons.measure.options import MeasureOptions
from digicons.measure.partial import load_list, load_shares
from digicons.measure.result import (
    IssueStore,
    MeasureResult,
    Provenance,
    RowIssue,
    SideFile,
)
from digicons.period import Period, parse_period, periods_in
from digicons.resources import slots_of, sql
from digicons.scope.catalogue import Catalogue, load_catalogue
from digicons.scope.classify import check_code_table
from digicons.scope.regions import abolished_note, named_note
from digicons.units import parse_unit

SIDES = ("prior", "previous")  # the allow-list of side views: --prior, --quarter-only
rules.check_rules(frozenset(KEYS))


@dataclass(frozen=True)
class Plan:
    """The variant of the queries a run needs: flags of their `--#if` blocks, and slots."""

    flags: frozenset[str]
    slots: dict[str, str]

    def sql(self, name: str, flags: Iterable[str] = (), **extra: str) -> str:
        """The query `name` for this run: the plan's slots are a pool each query takes from;
        `flags` and `extra` slots add to the plan's for this query only."""
        named = slots_of(name)
        return sql(
            name,
            {k: v for k, v in {**self.slots, **extra}.items() if k in named},
            self.flags | frozenset(flags),
        )


def plan(options: MeasureOptions) -> Plan:
    flags = {"prior" if options.prior else "quarter" if options.previous else "column"}
    if options.prior or options.previous:
        flags.add("side")
    if options.partial.mode == "list":
        flags.add("list")
    slots = {
        "row_reason": rules.row_reason_sql(),
        "row_flags": rules.row_flags_sql(),
        "check_failed_bit": str(rules.flag_bit("credit_code_check_failed")),
        "numeric_bit": str(rules.flag_bit("credit_code_numeric")),
        "duplicate_id": str(rules.reason_id("duplicate_credit_code")),
        "no_enterprise_ids": rules.no_enterprise_ids(),
        "negative_bit": str(rules.flag_bit("revenue_negative")),
        "row_key_file": str(assemble.ROW_KEY_FILE),
    }
    if options.disclosure is not None:
        flags.add("top")
        slots["top_n"] = str(options.disclosure.dominance_n)
    return Plan(frozenset(flags), slots)


def measure(
    options: MeasureOptions,
    catalogue: Catalogue | None = None,
    progress: Progress | None = None,
) -> MeasureResult:
    """Read, validate, classify and aggregate enterprise files into the published tables.

    Fails (InputError) when no row counts; under `options.strict`, when the run has warnings.
    """
    started = datetime.now().astimezone()
    clock = time.perf_counter()
    with Session(options, catalogue or load_catalogue(), progress) as session:
        result = session.run()
    check_counted(result)
    if options.strict:
        check_strict(result.warnings)
    return replace(
        result,
        provenance=Provenance(
            __version__,
            options.command,
            started.isoformat(timespec="seconds"),
            round(time.perf_counter() - clock, 3),
        ),
    )


class Session:
    """One measurement: its DuckDB connection, scratch folder and registered inputs."""

    def __init__(
        self,
        options: MeasureOptions,
        catalogue: Catalogue,
        progress: Progress | None = None,
    ) -> None:
        self.options = options
        self.catalogue = catalogue
        found = expand_inputs(options.inputs)
        self.paths, self.notes = found.paths, found.notes
        if not self.paths:
            raise UsageError("没有输入文件（no input files given）")
        if options.prior and options.previous:
            raise UsageError("--prior 与 --quarter-only 不能同时使用（cannot be used together）")
        if options.sheet is not None and not any(input_kind(p) == "excel" for p in self.paths):
            raise UsageError(
                f"--sheet 只用于 Excel 工作簿，而输入 {'、'.join(map(str, self.paths))} 都不是"
                "（--sheet applies to workbooks only）"
            )
        self.unit = parse_unit(options.unit)
        self.sources = SourceOptions(
            options.encoding,
            options.columns,
            options.sheet,
            rules.read_reasons(),
            (
                rules.reason_id("formula_uncalculated"),
                rules.flag_bit("formula_uncalculated_kept"),
            ),
        )
        if options.codes is not None:  # before any reading: a wrong table makes a wrong run
            check_code_table(catalogue, options.codes)
        self.plan = plan(options)
        self.progress = progress
        self.side_warnings: list[RunWarning] = []
        self._side_files: dict[str, list[InputFile]] = {side: [] for side in SIDES}
        self._scratch: Path | None = None
        self._con: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> Self:
        self._scratch = Path(tempfile.mkdtemp(prefix="digicons-"))
        try:
            self._con = connect(self._scratch)
        except BaseException:
            shutil.rmtree(self._scratch, ignore_errors=True)
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._con is not None:
            self._con.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    @property
    def runner(self) -> Runner:
        if self._con is None or self._scratch is None:
            raise InternalError("the measure session is not open")
        return Runner(self._con, self._scratch, self.progress)

    def run(self) -> MeasureResult:
        run = self.runner
        con, scratch, options = run.con, run.scratch, self.options
        run.execute(sql("macros"))
        run.report(f"reading {len(self.paths)} file(s)")
        files = register_all(con, "input", self.paths, self.sources, scratch)
        run.files = [f.path for f in files]
        unit_in = input_unit(files, options.input_unit)

        # Stage 0: the distinct keys, judged once.
        run.report("1/3 judging industry codes, regions and periods")
        _, distinct = run.rows(sql("keys"))
        keys: list[RawKey] = [(int(f), i, r, p) for f, i, r, p, _ in distinct]
        rows_read = sum(int(row[4]) for row in distinct)
        period = self._period(files, keys)
        check_input_spans(files, period, options.columns)
        if options.previous and period.quarter == 1:
            raise UsageError(
                "--quarter-only 需要第一季度以后的报告期（needs a period after the first quarter）"
            )
        assignments = self.catalogue.class_map(options.codes.classes if options.codes else None)
        classes = {a.class_code: a for a in assignments}
        has_region = any("region" in f.columns for f in files)
        headings = {f.index: normalise_header(f.headers[f.columns["industry_code"]]) for f in files}
        official = options.codes.names if options.codes else None
        judged, named, replaced, written = judge_keys(
            keys, classes, period, has_region, options.region_level, headings, official
        )
        con.from_arrow(judged).create("keys")
        if written:
            self.notes.append(written_names_note(written, checked=official is not None))
        if named:
            self.notes.append(named_note(named))
        if replaced:
            self.notes.append(abolished_note(replaced))
        self._lookups(con, period)
        self._sides(run, files, period, unit_in)

        # Stage 1: the credit codes.
        run.report("2/3 checking credit codes")
        with run.translated():
            con.from_arrow(
                mark_codes(
                    con, "input_rows", lambda n: run.report(f"2/3 checking credit codes {n:,}")
                )
            ).create("marks")
        for side in SIDES:
            if self._side_files[side]:
                run.files = [f.path for f in self._side_files[side]]
                with run.translated():
                    run.con.from_arrow(mark_codes(run.con, f"{side}_rows")).create(f"{side}_marks")
                run.execute(self.plan.sql("by_code", side=side))
            else:
                run.execute(sql("empty_by_code", {"side": side}))
        run.files = [f.path for f in files]

        # Stage 2: the one scan.
        run.execute(self.plan.sql("judged"))
        with run.watched("3/3 classifying and aggregating"):
            run.execute(self.plan.sql("fine"))
        # The contents' hashes were taken beside the work; by now they are ready.
        if len(files) > 1:
            check_distinct_inputs([(f.path, f.sha256) for f in files])

        # Stage 3: settle and publish, from the small table.
        run.execute(self.plan.sql("settled"), {"partial": options.partial.mode})
        names, aggregates = run.rows(self.plan.sql("levels"))
        sets = assemble.decode_levels(names, aggregates, self.plan.flags)
        issues, store = self._issues(run, files)
        check_footer_units(issues, unit_in)
        per_file = assemble.decode_files(*run.rows(sql("files")))
        sides = {
            side: assemble.decode_side(*run.rows(self.plan.sql("vanished", side=side)))
            for side, wanted in zip(SIDES, (options.prior, options.previous), strict=True)
            if wanted
        }
        result = assemble.result(
            catalogue=self.catalogue,
            sets=sets,
            files=files,
            options=options,
            period=period,
            unit_in=unit_in,
            unit=self.unit,
            sides=sides,
            issues=issues,
            issue_store=store,
            rows_read=rows_read,
            per_file=per_file,
            notes=self.notes,
        )
        if options.disclosure is not None:
            result = disclose(result, self.catalogue, options.disclosure)
        if options.partial.mode == "list":
            found = run.rows(sql("listed"))
            result = replace(result, listed=assemble.decode_listed(*found))
        return replace(
            result,
            warnings=warnings_of(result, options.max_rejected, self.side_warnings),
            side_files=[
                SideFile(side, f.shown, f.size, f.sha256)
                for side in SIDES
                for f in self._side_files[side]
            ]
            + self._setting_files(),
        )

    def _setting_files(self) -> list[SideFile]:
        """The shares or list of --partial and the code table, for provenance."""
        treatment, codes = self.options.partial, self.options.codes
        found = [] if treatment.file is None else [SideFile.read(treatment.mode, treatment.file)]
        return found + ([] if codes is None else [SideFile.read("codes", codes.source)])

    def _period(self, files: list[InputFile], keys: list[RawKey]) -> Period:
        """The period of the run: --period, else the one period of the 报告期 column."""
        if self.options.period is not None:
            return parse_period(self.options.period)
        if not any("period" in f.columns for f in files):
            raise UsageError(
                "没有给出报告期，输入文件也没有报告期列（no period given）",
                hint="请用 --period 指定季度，如 --period 2024Q3。",
            )
        named = periods_named(keys)
        if len(named) != 1:
            unknown = unrecognised_periods(keys)
            shown = "、".join(f"'{text}'" for text in unknown[:5])
            raise UsageError(
                f"输入文件含有 {len(named)} 个报告期（the files hold {len(named)} periods: "
                f"{', '.join(named) or 'none recognised'}）"
                + (f"；无法识别的报告期：{shown}" if unknown else ""),
                hint="请用 --period 指定季度，如 --period 2024Q3。",
            )
        return parse_period(named[0])

    def _lookups(self, con: duckdb.DuckDBPyConnection, period: Period) -> None:
        """The category levels and the data of the partial treatment, as tables."""
        catalogue, treatment = self.catalogue, self.options.partial
        minors = catalogue.level("minor")
        con.from_arrow(
            pa.table(
                {
                    "minor": [m.code for m in minors],
                    "medium": [catalogue.lineage(m.code)[1].code for m in minors],
                    "major": [catalogue.lineage(m.code)[0].code for m in minors],
                }
            )
        ).create("category_levels")
        shares = (
            load_shares(treatment.file, catalogue, period)
            if treatment.mode == "shares" and treatment.file
            else []
        )
        listed = load_list(treatment.file) if treatment.mode == "list" and treatment.file else []
        con.from_arrow(
            pa.table(
                {
                    "class_code": pa.array([s[0] for s in shares], pa.string()),
                    "region": pa.array([s[1] for s in shares], pa.string()),
                    "share": pa.array([s[2] for s in shares], pa.decimal128(9, 8)),
                }
            )
        ).create("partial_shares")
        con.from_arrow(pa.table({"credit_code": pa.array(listed, pa.string())})).create(
            "partial_list"
        )

    def _sides(self, run: Runner, files: list[InputFile], period: Period, unit: str) -> None:
        """Register the --prior / --quarter-only files and check their period (the same quarter a
        year earlier, or the previous quarter) and unit (the inputs'); never one of the inputs."""
        if not (self.options.prior or self.options.previous):
            return
        # The contents of the inputs, to refuse a side file that is one of them under another
        # name (waits for the hashes, read beside the work since registration).
        inputs = {f.path: f.sha256 for f in files}
        for side, paths in zip(SIDES, (self.options.prior, self.options.previous), strict=True):
            if not paths:
                continue
            found = register_all(
                run.con,
                side,
                expand_inputs(paths).paths,
                self.sources,
                run.scratch,
                frozenset({"credit_code", "revenue"}),
            )
            run.files = [f.path for f in found]
            _, named = run.rows(self.plan.sql("side_periods", side=side))
            for f in found:
                check_not_an_input(side, f.path, f.sha256, inputs)
                check_side_unit(side, f, unit, self.options.input_unit is not None)
                periods = {p for i, text in named if i == f.index if (p := period_of(text))}
                for line in f.title:
                    periods |= periods_in(line)
                warning = check_side_period(side, f.path, periods, period)
                if warning is not None:
                    self.side_warnings.append(warning)
            self._side_files[side] = found

    def _issues(
        self, run: Runner, files: list[InputFile]
    ) -> tuple[list[RowIssue], IssueStore | None]:
        """Rejected and flagged rows: in memory up to the limit, every one of them in a store."""
        limit = self.options.issue_limit

        def decode(record: dict[str, Any]) -> RowIssue:
            return assemble.issue(record, files)

        names, listed = run.rows(sql("issues"), {"limit": limit + 1})
        issues = [decode(dict(zip(names, row, strict=True))) for row in listed[:limit]]
        store = None
        if len(listed) > limit:
            store = IssueStore(decode)
            with run.translated():
                run.con.sql(sql("issues"), params={"limit": 2**62}).write_parquet(str(store.path))
        return issues, store
