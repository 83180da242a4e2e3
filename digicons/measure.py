"""The main job: enterprise files in, the 5 / 22 / 63 tables out, every row accounted for."""

from __future__ import annotations

import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from duckdb.func import PythonUDFType

from digicons import indicators
from digicons.catalogue import Catalogue, load_catalogue
from digicons.codetable import CodeTable
from digicons.creditcode import valid_array
from digicons.disclosure import DisclosureRules, Sensitive, suppress
from digicons.errors import UsageError
from digicons.indicators import Figures
from digicons.partial import PartialTreatment, load_list, load_shares
from digicons.period import Period
from digicons.readers import expand_inputs
from digicons.regions import region_name
from digicons.resources import sql
from digicons.sources import (
    RAW_KEYS,
    InputFile,
    SourceOptions,
    find_period,
    input_unit,
    register_all,
    run_query,
)
from digicons.units import convert, parse_unit

DEFAULT_UNIT = "万元"
STATUSES = ("digital", "not_digital", "rejected")
ZERO = Decimal(0)

REASONS: dict[str, str] = {
    "industry_code_missing": "行业代码缺失",
    "industry_code_malformed": "行业代码格式错误（应为4位小类代码）",
    "industry_code_unknown": "行业代码不是国民经济行业分类（GB/T 4754-2017）的小类",
    "industry_code_section_mismatch": "行业代码的门类字母与大类不符",
    "revenue_missing": "营业收入缺失",
    "revenue_not_numeric": "营业收入不是数值",
    "period_unrecognised": "报告期无法识别",
    "period_mismatch": "报告期与本次统计期不符",
    "duplicate_credit_code": "统一社会信用代码重复（保留首次出现的行）",
}
FLAGS: dict[str, str] = {
    "credit_code_missing": "统一社会信用代码缺失",
    "credit_code_check_failed": "统一社会信用代码校验位错误（GB 32100-2015）",
    "revenue_negative": "营业收入为负",
    "name_missing": "单位名称缺失",
    "region_missing": "区划代码缺失",
    "revenue_prior_not_numeric": "营业收入上年同期不是数值（按缺失处理）",
}

Progress = Callable[[str], None]
CellKey = tuple[str | None, str]  # (region, category code); region None: all regions; "" total


@dataclass(frozen=True)
class MeasureOptions:
    """What `measure` is asked to do."""

    inputs: list[Path]
    period: str | None = None
    input_unit: str | None = None
    unit: str = DEFAULT_UNIT
    encoding: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    codes: CodeTable | None = None
    prior: list[Path] = field(default_factory=list)
    previous: list[Path] = field(default_factory=list)
    region_level: str = "county"
    partial: PartialTreatment = field(default_factory=PartialTreatment)
    bounds: bool = False
    disclosure: DisclosureRules | None = None
    # Rejected and flagged rows kept in memory and listed in the workbook; the rest are streamed to
    # a CSV beside it. (A million rows through openpyxl take minutes and gigabytes.)
    issue_limit: int = 100_000


@dataclass(frozen=True)
class Cell(Figures):
    """One row of a published table: a category (or the total) and its sums, in the input unit."""

    level: str = ""
    code: str = ""
    name: str = ""
    partial: bool = False
    region: str | None = None
    largest: tuple[Decimal, ...] = ()
    upper_revenue: Decimal = ZERO
    lower_revenue: Decimal = ZERO

    @property
    def key(self) -> CellKey:
        return (self.region, self.code)


@dataclass(frozen=True)
class Reconciliation:
    """Rows and revenue read = digital + not digital + rejected (revenue in the input unit)."""

    rows: dict[str, int]
    revenue: dict[str, Decimal]

    @property
    def rows_read(self) -> int:
        return sum(self.rows.values())

    @property
    def revenue_read(self) -> Decimal:
        return sum(self.revenue.values(), ZERO)


@dataclass(frozen=True)
class Comparison:
    """Where 上年同期 came from, and how well --prior files matched the current enterprises."""

    source: str  # "column" or "files"
    files: tuple[Path, ...] = ()
    unmatched_enterprises: int = 0
    unmatched_revenue: Decimal = ZERO
    vanished_enterprises: int = 0
    vanished_revenue: Decimal = ZERO


@dataclass(frozen=True)
class QuarterDerivation:
    """A single quarter derived from two cumulative files; enterprises missing on either side."""

    files: tuple[Path, ...]
    without_previous: int
    vanished_enterprises: int
    vanished_revenue: Decimal


@dataclass(frozen=True)
class RowIssue:
    """A rejected row (with its reason) or a kept row with data-quality flags."""

    file: Path
    row: int
    status: str
    reason: str | None
    kept_at: tuple[Path, int] | None
    flags: tuple[str, ...]
    values: dict[str, str | None]


@dataclass(frozen=True)
class MeasureResult:
    """Everything the outputs need: cells of every level, reconciliation, rejects and flags."""

    period: Period
    quarter_only: bool
    input_unit: str
    unit: str
    inputs: list[InputFile]
    code_table: Path | None
    cells: list[Cell]
    region_cells: list[Cell]
    region_level: str
    reconciliation: Reconciliation
    rejects_by_reason: dict[str, tuple[int, Decimal]]
    flagged_rows: int
    issues: list[RowIssue]  # the first options.issue_limit, in input order
    issue_store: Path | None  # every one of them, when there are more (status, issue)
    comparison: Comparison
    quarter: QuarterDerivation | None
    treatment: PartialTreatment
    without_share: int
    bounds: bool
    disclosure: DisclosureRules | None = None
    suppressed: frozenset[CellKey] = frozenset()

    @property
    def issue_count(self) -> int:
        """Rejected rows plus kept rows with flags: every row a person must see."""
        return self.reconciliation.rows["rejected"] + self.flagged_rows

    def all_issues(self) -> Iterator[RowIssue]:
        """Every rejected or flagged row, read from the store in batches when not all in memory."""
        if self.issue_store is None:
            yield from self.issues
            return
        for batch in pq.ParquetFile(self.issue_store).iter_batches(batch_size=65_536):
            for status, details in zip(
                batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True
            ):
                yield _issue(status, details, self.inputs)

    @property
    def period_label(self) -> str:
        if self.quarter_only:
            return f"{self.period.year}年{self.period.quarter}季度"
        return self.period.label

    def convert(self, value: Decimal) -> Decimal:
        """An amount in the output unit."""
        return convert(value, self.input_unit, self.unit)

    @property
    def total(self) -> Cell:
        return self.cells[0]

    def level(self, level: str) -> list[Cell]:
        return [c for c in self.cells if c.level == level]

    def is_suppressed(self, cell: Cell) -> bool:
        return cell.key in self.suppressed

    def yoy_pct(self, cell: Cell) -> Decimal | None:
        return indicators.yoy_pct(cell)

    def share_pct(self, cell: Cell) -> Decimal | None:
        return indicators.share_pct(cell, self._total_of(cell))

    def share_change_pp(self, cell: Cell) -> Decimal | None:
        return indicators.share_change_pp(cell, self._total_of(cell))

    def pull_pp(self, cell: Cell) -> Decimal | None:
        return indicators.pull_pp(cell, self._total_of(cell))

    def contribution_pct(self, cell: Cell) -> Decimal | None:
        return indicators.contribution_pct(cell, self._total_of(cell))

    def _total_of(self, cell: Cell) -> Cell:
        if cell.region is None:
            return self.total
        return next(c for c in self.region_cells if c.region == cell.region and c.level == "total")

    def regions(self) -> list[str]:
        return sorted({c.region for c in self.region_cells if c.region is not None})


def measure(options: MeasureOptions, progress: Progress | None = None) -> MeasureResult:
    """Read, validate, classify and aggregate enterprise files into the 5 / 22 / 63 tables."""
    report = progress or (lambda _message: None)
    catalogue = load_catalogue()
    paths = expand_inputs(options.inputs)
    if not paths:
        raise UsageError("no input files given")
    if options.prior and options.previous:
        raise UsageError("--prior and --quarter-only cannot be used together")
    unit = parse_unit(options.unit)
    sources = SourceOptions(options.encoding, options.columns)
    with (
        duckdb.connect(
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        ) as con,
        tempfile.TemporaryDirectory(prefix="digicons-") as scratch,
    ):
        con.execute("SET temp_directory = $dir", {"dir": scratch})
        # Progress is tracked for our own display; DuckDB must not print its bar on stdout.
        con.execute("SET enable_progress_bar = true")
        con.execute("SET enable_progress_bar_print = false")
        con.execute(sql("macros"))
        # The check digit in numpy is many times faster than the same arithmetic in SQL.
        con.create_function(
            "uscc_valid",
            valid_array,
            ["VARCHAR"],
            "BOOLEAN",
            type=PythonUDFType.ARROW,
            side_effects=False,
        )
        report(f"reading {len(paths)} file(s)")
        files = register_all(con, "input", paths, sources, Path(scratch))
        unit_in = input_unit(files, options.input_unit)
        period = find_period(con, files, options.period)
        if options.previous and period.quarter == 1:
            raise UsageError("--quarter-only needs a period after the first quarter")
        _create_lookups(con, catalogue, options, period)
        _create_side_tables(con, options, Path(scratch), sources)
        con.execute(
            sql("run_settings"),
            {
                "period": period.key,
                "label": period.label,
                "has_region": any("region" in f.columns for f in files),
                "prior": bool(options.prior),
                "quarter": bool(options.previous),
                "partial": options.partial.mode,
                "level": options.region_level,
            },
        )
        with _watched(con, report, "1/3 checking credit codes"):
            run_query(con, sql("code_hashes"), files)
        con.execute(sql("classified"))
        with _watched(con, report, "2/3 finding repeated credit codes"):
            run_query(con, sql("duplicates"), files)
        con.execute(sql("checked"))
        with _watched(con, report, "3/3 classifying and aggregating"):
            run_query(con, "CREATE TEMP TABLE aggregates AS\n" + sql("aggregate"), files)
        levels = con.execute(sql("levels"), {"row_set": _ROW_SET})
        names = [column[0] for column in levels.description or ()]
        aggregates = levels.fetchall()
        # Rejected and flagged rows: in memory up to the limit, all of them in a Parquet file
        # beside (bounded memory however many there are).
        listed = con.execute(
            sql("issue_rows"), {"row_set": _ROW_SET, "limit": options.issue_limit + 1}
        ).fetchall()
        store = None
        if len(listed) > options.issue_limit:
            listed = listed[: options.issue_limit]
            store = Path(tempfile.mkdtemp(prefix="digicons-issues-")) / "issues.parquet"
            con.sql(sql("issue_rows"), params={"row_set": _ROW_SET, "limit": 2**62}).write_parquet(
                str(store)
            )
        vanished = {
            name: run_query(con, side_sql("vanished", name), files)[0]
            for name, wanted in (("prior", options.prior), ("previous", options.previous))
            if wanted
        }
    sets = _decode(names, aggregates)
    issues = [_issue(status, details, files) for status, details in listed]
    result = _assemble(
        catalogue, sets, files, options, period, unit_in, unit, vanished, issues, store
    )
    if store is not None:
        weakref.finalize(result, shutil.rmtree, store.parent, True)
    if options.disclosure is not None:
        result = _disclose(result, catalogue, options.disclosure)
    return result


@contextmanager
def _watched(con: duckdb.DuckDBPyConnection, report: Progress, stage: str) -> Iterator[None]:
    """Report the progress of the query running inside the block, twice a second."""
    report(stage)
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.5):
            percent = con.query_progress()
            if percent >= 0:
                report(f"{stage} {percent:.0f}%")

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def _create_lookups(
    con: duckdb.DuckDBPyConnection, catalogue: Catalogue, options: MeasureOptions, period: Period
) -> None:
    """The materialised rule (class → minor), the category levels, and partial-treatment data."""
    assignments = catalogue.class_map(options.codes.classes if options.codes else None)
    class_map = pa.table(
        {
            "class_code": [a.class_code for a in assignments],
            "section": [a.section for a in assignments],
            "minor": [a.minor for a in assignments],
            "partial": [a.partial for a in assignments],
            "pattern": [a.pattern.text if a.pattern else None for a in assignments],
        }
    )
    minors = catalogue.level("minor")
    levels = pa.table(
        {
            "minor": [m.code for m in minors],
            "medium": [catalogue.lineage(m.code)[1].code for m in minors],
            "major": [catalogue.lineage(m.code)[0].code for m in minors],
        }
    )
    treatment = options.partial
    shares = (
        load_shares(treatment.file, catalogue, period)
        if treatment.mode == "shares" and treatment.file
        else []
    )
    listed = load_list(treatment.file) if treatment.mode == "list" and treatment.file else []
    con.from_arrow(class_map).create("class_map")
    con.from_arrow(levels).create("category_levels")
    con.from_arrow(
        pa.table(
            {
                "class_code": pa.array([s[0] for s in shares], pa.string()),
                "region": pa.array([s[1] for s in shares], pa.string()),
                "share": pa.array([s[2] for s in shares], pa.decimal128(9, 8)),
            }
        )
    ).create("partial_shares")
    con.from_arrow(pa.table({"credit_code": pa.array(listed, pa.string())})).create("partial_list")


def _create_side_tables(
    con: duckdb.DuckDBPyConnection, options: MeasureOptions, scratch: Path, sources: SourceOptions
) -> None:
    """prior_by_code (--prior) and previous_by_code (--quarter-only): one row per credit code."""
    for name, paths in (("prior", options.prior), ("previous", options.previous)):
        if paths:
            files = register_all(
                con,
                name,
                expand_inputs(paths),
                sources,
                scratch,
                frozenset({"credit_code", "revenue"}),
            )
            run_query(con, side_sql("by_code", name), files)
        else:
            con.execute(side_sql("empty_by_code", name))


def side_sql(query: str, side: str) -> str:
    """A query over the --prior or --quarter-only files: `{side}` names their views."""
    if side not in ("prior", "previous"):
        raise ValueError(side)
    return sql(query).replace("{side}", side)


# The grouping sets of aggregate.sql, by the columns each groups on.
_COLUMNS = ("status", "reason", "issue_key", "region_key", "major", "medium", "minor")
_SETS = {
    "status": ("status",),
    "reason": ("status", "reason"),
    "row": ("status", "issue_key"),
    "major": ("major",),
    "medium": ("major", "medium"),
    "minor": ("major", "medium", "minor"),
    "region": ("region_key",),
    "region_major": ("region_key", "major"),
    "region_medium": ("region_key", "major", "medium"),
}
_SET_OF_ID: dict[int, str] = {
    sum(1 << (len(_COLUMNS) - 1 - i) for i, c in enumerate(_COLUMNS) if c not in columns): name
    for name, columns in _SETS.items()
}


_ROW_SET = next(set_id for set_id, name in _SET_OF_ID.items() if name == "row")


def _decode(names: list[str], rows: list[tuple[Any, ...]]) -> dict[str, list[dict[str, Any]]]:
    """Split the rows of aggregate.sql by grouping set, as dictionaries keyed by column name."""
    sets: dict[str, list[dict[str, Any]]] = {name: [] for name in _SETS}
    for row in rows:
        record = dict(zip(names, row, strict=True))
        sets[_SET_OF_ID[record["set_id"]]].append(record)
    return sets


def _cell(record: dict[str, Any] | None, **labels: Any) -> Cell:
    r = record or {}
    return Cell(
        enterprises=int(r.get("enterprises") or 0),
        revenue=r.get("revenue") or ZERO,
        revenue_prior=r.get("revenue_prior"),
        revenue_matched=r.get("revenue_matched") or ZERO,
        largest=tuple(r.get("top2") or ()),
        upper_revenue=r.get("upper_revenue") or ZERO,
        lower_revenue=r.get("lower_revenue") or ZERO,
        **labels,
    )


def _assemble(
    catalogue: Catalogue,
    sets: dict[str, list[dict[str, Any]]],
    files: list[InputFile],
    options: MeasureOptions,
    period: Period,
    unit_in: str,
    unit: str,
    vanished: dict[str, tuple[Any, ...]],
    issues: list[RowIssue],
    issue_store: Path | None,
) -> MeasureResult:
    by_status = {r["status"]: r for r in sets["status"]}
    any_partial = any(p.partial for p in catalogue.patterns)
    # The digital total is the sum over majors (rows with no category fall in major NULL).
    majors = {r["major"]: r for r in sets["major"] if r["major"] is not None}
    total = _merge(list(majors.values()))
    by_code = {
        **majors,
        **{r["medium"]: r for r in sets["medium"] if r["medium"] is not None},
        **{r["minor"]: r for r in sets["minor"] if r["minor"] is not None},
    }
    cells = [_cell(total, level="total", code="", name="数字消费合计", partial=any_partial)]
    cells += [
        _cell(
            by_code.get(c.code),
            level=c.level,
            code=c.code,
            name=c.name,
            partial=catalogue.is_partial(c.code),
        )
        for c in catalogue.categories.values()
    ]
    region_cells = _region_cells(catalogue, sets, any_partial)

    def status_sum(status: str, key: str) -> Any:
        return (by_status.get(status) or {}).get(key)

    weighted_out = status_sum("digital", "revenue_weighted_out") or ZERO
    reconciliation = Reconciliation(
        {s: int(status_sum(s, "rows") or 0) for s in STATUSES},
        {
            "digital": cells[0].revenue,
            "not_digital": (status_sum("not_digital", "revenue_all") or ZERO) + weighted_out,
            "rejected": status_sum("rejected", "revenue_all") or ZERO,
        },
    )
    reasons = {
        r["reason"]: (int(r["rows"]), r["revenue_all"] or ZERO)
        for r in sets["reason"]
        if r["reason"] is not None
    }
    ordered = {k: reasons[k] for k in REASONS if k in reasons}
    flagged = sum(int(status_sum(s, "flagged") or 0) for s in ("digital", "not_digital"))
    comparison = Comparison("column")
    if options.prior:
        n, revenue = vanished["prior"]
        comparison = Comparison(
            "files",
            tuple(options.prior),
            int(status_sum("digital", "prior_missing") or 0),
            status_sum("digital", "prior_missing_revenue") or ZERO,
            int(n),
            revenue or ZERO,
        )
    quarter = None
    if options.previous:
        n, revenue = vanished["previous"]
        quarter = QuarterDerivation(
            tuple(options.previous),
            sum(int(status_sum(s, "previous_missing") or 0) for s in ("digital", "not_digital")),
            int(n),
            revenue or ZERO,
        )
    return MeasureResult(
        period=period,
        quarter_only=bool(options.previous),
        input_unit=unit_in,
        unit=unit,
        inputs=files,
        code_table=options.codes.source if options.codes else None,
        cells=cells,
        region_cells=region_cells,
        region_level=options.region_level,
        reconciliation=reconciliation,
        rejects_by_reason=ordered,
        flagged_rows=flagged,
        issues=issues,
        issue_store=issue_store,
        comparison=comparison,
        quarter=quarter,
        treatment=options.partial,
        without_share=sum(int(status_sum(s, "without_share") or 0) for s in STATUSES),
        bounds=options.bounds,
    )


def _merge(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum several aggregate records (the total from the majors)."""
    merged: dict[str, Any] = {}
    for key in ("enterprises", "revenue", "revenue_matched", "upper_revenue", "lower_revenue"):
        merged[key] = sum((r.get(key) or 0 for r in records), ZERO)
    priors = [r["revenue_prior"] for r in records if r.get("revenue_prior") is not None]
    merged["revenue_prior"] = sum(priors, ZERO) if priors else None
    merged["top2"] = sorted((v for r in records for v in (r.get("top2") or ())), reverse=True)[:2]
    return merged


def _region_cells(
    catalogue: Catalogue, sets: dict[str, list[dict[str, Any]]], any_partial: bool
) -> list[Cell]:
    """Region × (total, majors, mediums), digital rows only; regions without any are left out."""
    totals = {r["region_key"]: r for r in sets["region"] if (r.get("enterprises") or 0) > 0}
    found = {
        (r["region_key"], r["major"]): r for r in sets["region_major"] if r["major"] is not None
    }
    found.update(
        {
            (r["region_key"], r["medium"]): r
            for r in sets["region_medium"]
            if r["medium"] is not None
        }
    )
    cells = []
    for region in sorted(totals):
        name = region_name(region)
        cells.append(
            _cell(
                totals[region],
                level="total",
                code="",
                name=name,
                partial=any_partial,
                region=region,
            )
        )
        for category in catalogue.categories.values():
            if category.level in ("major", "medium"):
                cells.append(
                    _cell(
                        found.get((region, category.code)),
                        level=category.level,
                        code=category.code,
                        name=category.name,
                        partial=catalogue.is_partial(category.code),
                        region=region,
                    )
                )
    return cells


def _issue(status: str, details: dict[str, Any], files: list[InputFile]) -> RowIssue:
    kept_key = details["kept_key"]
    kept = None if kept_key is None else (files[kept_key >> 40].path, kept_key & (2**40 - 1))
    return RowIssue(
        files[details["file_idx"]].path,
        int(details["row_no"]),
        status,
        details["reason"],
        kept,
        tuple(flag for bit, flag in enumerate(FLAGS) if details["flag_bits"] >> bit & 1),
        {key: details[key] for key in RAW_KEYS},
    )


def _disclose(result: MeasureResult, catalogue: Catalogue, rules: DisclosureRules) -> MeasureResult:
    """Apply primary and secondary suppression over every published table."""
    cells: dict[CellKey, Sensitive] = {
        c.key: Sensitive(c.enterprises, c.revenue, c.largest)
        for c in [*result.cells, *result.region_cells]
    }
    groups: list[tuple[CellKey, list[CellKey]]] = []
    regions = result.regions()
    for parent in [None, *regions]:
        groups.append(((parent, ""), [(parent, m.code) for m in catalogue.level("major")]))
        for major in catalogue.level("major"):
            groups.append(
                ((parent, major.code), [(parent, m.code) for m in catalogue.children(major.code)])
            )
        if parent is None:
            for medium in catalogue.level("medium"):
                groups.append(
                    ((None, medium.code), [(None, m.code) for m in catalogue.children(medium.code)])
                )
    if regions:
        for category in [
            "",
            *(c.code for c in catalogue.categories.values() if c.level != "minor"),
        ]:
            groups.append(((None, category), [(r, category) for r in regions]))
    hidden = suppress(cells, groups, rules)
    return replace(result, disclosure=rules, suppressed=frozenset(hidden))
