"""The main job: enterprise files in, the 5 / 22 / 63 tables out, every row accounted for."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from duckdb.func import PythonUDFType

from digicons.catalogue import Catalogue, load_catalogue
from digicons.codetable import CodeTable
from digicons.creditcode import valid_array
from digicons.errors import InputError, UsageError
from digicons.period import Period, parse_period
from digicons.readers import (
    InputFile,
    detect_encoding,
    expand_inputs,
    file_kind,
    transcode_to_utf8,
)
from digicons.resources import sql
from digicons.schema import COLUMNS, header_unit, match_headers
from digicons.units import UNITS, convert, parse_unit

DEFAULT_INPUT_UNIT = "千元"
DEFAULT_UNIT = "万元"
STATUSES = ("digital", "not_digital", "rejected")

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
RAW_KEYS = ("credit_code", "name", "industry_code", "region", "revenue", "revenue_prior", "period")

Progress = Callable[[str], None]


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


@dataclass(frozen=True)
class Cell:
    """One row of a published table: a category (or the total) and its sums, in the input unit."""

    level: str
    code: str
    name: str
    partial: bool
    enterprises: int
    revenue: Decimal
    revenue_prior: Decimal | None
    revenue_matched: Decimal


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
        return sum(self.revenue.values(), Decimal(0))


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
    input_unit: str
    unit: str
    inputs: list[InputFile]
    code_table: Path | None
    cells: list[Cell]
    reconciliation: Reconciliation
    rejects_by_reason: dict[str, tuple[int, Decimal]]
    flagged_rows: int
    issues: list[RowIssue]

    def convert(self, value: Decimal) -> Decimal:
        """An amount in the output unit."""
        return convert(value, self.input_unit, self.unit)

    @property
    def total(self) -> Cell:
        return self.cells[0]

    def level(self, level: str) -> list[Cell]:
        return [c for c in self.cells if c.level == level]

    def yoy_pct(self, cell: Cell) -> Decimal | None:
        """Growth over the rows that have a prior value; None when there is no positive base."""
        if cell.revenue_prior is None or cell.revenue_prior <= 0:
            return None
        return (cell.revenue_matched / cell.revenue_prior - 1) * 100

    def share_pct(self, cell: Cell) -> Decimal | None:
        """Share of total digital-consumption revenue."""
        if self.total.revenue == 0:
            return None
        return cell.revenue / self.total.revenue * 100


def measure(options: MeasureOptions, progress: Progress | None = None) -> MeasureResult:
    """Read, validate, classify and aggregate enterprise files into the 5 / 22 / 63 tables."""
    report = progress or (lambda _message: None)
    catalogue = load_catalogue()
    paths = expand_inputs(options.inputs)
    if not paths:
        raise UsageError("no input files given")
    unit = parse_unit(options.unit)
    with (
        duckdb.connect(
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        ) as con,
        tempfile.TemporaryDirectory(prefix="digicons-") as scratch,
    ):
        report(f"reading {len(paths)} file(s)")
        files = [
            _register(con, index, path, options, Path(scratch)) for index, path in enumerate(paths)
        ]
        input_unit = _input_unit(files, options.input_unit)
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
        _create_input_view(con, files)
        _create_lookups(con, catalogue, options.codes)
        period = _period(con, files, options.period)
        con.execute(
            "CREATE TEMP TABLE run_settings AS "
            "SELECT $period AS period, $label AS period_label, $has_region AS has_region",
            {
                "period": period.key,
                "label": period.label,
                "has_region": any("region" in f.columns for f in files),
            },
        )
        con.execute(sql("checked"))
        report("checking, classifying and aggregating")
        aggregates = _query(con, sql("aggregate"), files)
    cells, reconciliation, by_reason, flagged, issue_rows = _assemble(catalogue, aggregates)
    issues = [_issue(row, files) for row in issue_rows]
    return MeasureResult(
        period,
        input_unit,
        unit,
        files,
        options.codes.source if options.codes else None,
        cells,
        reconciliation,
        by_reason,
        flagged,
        issues,
    )


def _register(
    con: duckdb.DuckDBPyConnection, index: int, path: Path, options: MeasureOptions, scratch: Path
) -> InputFile:
    kind = file_kind(path)
    encoding = None
    view = f"source_{index}"
    try:
        if kind == "csv":
            encoding = detect_encoding(path, options.encoding)
            readable = path
            if encoding != "utf-8":
                readable = scratch / f"{index}.csv"
                transcode_to_utf8(path, readable, encoding)
            relation = con.read_csv(
                str(readable),
                header=True,
                all_varchar=True,
                sep="\t" if path.suffix.lower() == ".tsv" else ",",
                quotechar='"',
            )
        elif kind == "parquet":
            relation = con.read_parquet(str(path), file_row_number=True)
        else:
            relation = con.from_arrow(_excel_table(path, options.columns))
        relation.create_view(view)
    except duckdb.Error as exc:
        raise InputError(f"{path}: cannot be read ({_first_line(exc)})") from exc
    headers = [c for c in relation.columns if c not in ("file_row_number", "__row_no")]
    headers = [h.lstrip("\ufeff") for h in headers]
    columns = match_headers(headers, options.columns)
    missing = [c for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        names = ", ".join(f"{c.key} ({' / '.join(c.aliases[:3])})" for c in missing)
        raise InputError(
            f"{path}: required column(s) missing: {names}",
            hint=f"Headers found: {', '.join(headers)}. Map others with --columns KEY=HEADER.",
        )
    unit = header_unit(headers[columns["revenue"]])
    return InputFile(index, path, kind, encoding, headers, columns, unit if unit in UNITS else None)


def _excel_table(path: Path, overrides: dict[str, str]) -> pa.Table:
    from digicons.readers import read_excel_rows

    headers, rows = read_excel_rows(path)
    industry = match_headers(headers, overrides).get("industry_code")
    columns: dict[str, list[str | None]] = {}
    for position, header in enumerate(headers):
        values: list[str | None] = [row[position] or None for row in rows]
        if position == industry:
            # A code typed as a number lost its leading zero (0111 → 111); put it back.
            values = [v.zfill(4) if v and v.isdigit() and len(v) < 4 else v for v in values]
        columns[_unique(header or f"column{position + 1}", columns)] = values
    columns["__row_no"] = [str(n) for n in range(2, len(rows) + 2)]
    return pa.table(columns)


def _unique(name: str, taken: dict[str, list[str | None]]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def _input_unit(files: list[InputFile], given: str | None) -> str:
    named = {f.unit for f in files if f.unit is not None}
    if given is not None:
        unit = parse_unit(given)
        clash = [f for f in files if f.unit is not None and f.unit != unit]
        if clash:
            raise UsageError(
                f"{clash[0].path}: the revenue header says {clash[0].unit}, "
                f"but --input-unit is {unit}",
            )
        return unit
    if len(named) > 1:
        raise UsageError(
            f"input files name different revenue units: {', '.join(sorted(named))}",
            hint="Measure files of one unit together.",
        )
    return named.pop() if named else DEFAULT_INPUT_UNIT


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _create_input_view(con: duckdb.DuckDBPyConnection, files: list[InputFile]) -> None:
    """One view `input_rows` over all files, columns renamed to fixed names."""
    types = {}
    selects = []
    for f in files:
        described = con.execute(f"DESCRIBE source_{f.index}").fetchall()
        types = {str(name).lstrip("\ufeff"): str(kind) for name, kind, *_ in described}
        actual = [str(name) for name, *_ in described]
        parts = [f"{f.index} AS file_idx", _row_expression(f) + " AS row_no"]
        for key in RAW_KEYS:
            if key not in f.columns:
                parts.append(f"NULL::VARCHAR AS {key}_raw")
                if key in ("revenue", "revenue_prior"):
                    parts.append(f"NULL::DECIMAL(18, 4) AS {key}_value")
                continue
            # The identifier comes from the file's own schema (an allow-list) and is quoted.
            column = _quote(
                actual[[a.lstrip("\ufeff") for a in actual].index(f.headers[f.columns[key]])]
            )
            kind = types[f.headers[f.columns[key]]]
            numeric = kind != "VARCHAR"
            if key == "industry_code" and numeric and kind in _INTEGER_TYPES:
                parts.append(f"lpad(CAST({column} AS VARCHAR), 4, '0') AS {key}_raw")
            else:
                parts.append(f"CAST({column} AS VARCHAR) AS {key}_raw")
            if key in ("revenue", "revenue_prior"):
                value = f"TRY_CAST({column} AS DECIMAL(18, 4))" if numeric else f"amount({column})"
                parts.append(f"{value} AS {key}_value")
        selects.append(f"SELECT {', '.join(parts)} FROM source_{f.index}")
    con.execute("CREATE TEMP VIEW input_rows AS " + "\nUNION ALL\n".join(selects))


_INTEGER_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "HUGEINT",
}


def _row_expression(f: InputFile) -> str:
    """The row number a person sees: spreadsheet row for CSV/Excel (header is row 1)."""
    if f.kind == "parquet":
        return "file_row_number + 1"
    if f.kind == "excel":
        return "CAST(__row_no AS BIGINT)"
    return "row_number() OVER () + 1"


def _create_lookups(
    con: duckdb.DuckDBPyConnection, catalogue: Catalogue, codes: CodeTable | None
) -> None:
    assignments = catalogue.class_map(codes.classes if codes else None)
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
    con.from_arrow(class_map).create("class_map")
    con.from_arrow(levels).create("category_levels")


def _period(con: duckdb.DuckDBPyConnection, files: list[InputFile], given: str | None) -> Period:
    if given is not None:
        return parse_period(given)
    if not any("period" in f.columns for f in files):
        raise UsageError("no period given", hint="Name the quarter with --period 2024Q3.")
    found = _query(
        con,
        "SELECT DISTINCT period_key(clean(period_raw)) FROM input_rows "
        "WHERE nullif(clean(period_raw), '') IS NOT NULL",
        files,
    )
    keys = sorted({str(row[0]) for row in found if row[0] is not None})
    if len(keys) != 1:
        raise UsageError(
            f"the files hold {len(keys)} periods ({', '.join(keys) or 'none recognised'})",
            hint="Name the quarter with --period 2024Q3.",
        )
    return parse_period(keys[0])


def _query(
    con: duckdb.DuckDBPyConnection, query: str, files: list[InputFile]
) -> list[tuple[Any, ...]]:
    try:
        return con.execute(query).fetchall()
    except duckdb.Error as exc:
        names = ", ".join(str(f.path) for f in files)
        raise InputError(
            f"cannot read the input ({names}): {_first_line(exc)}",
            hint="Check that every row has as many fields as the header.",
        ) from exc


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# GROUPING() bits of (reason, major, medium, minor, issue_key) in aggregate.sql, per grouping set.
_BY_STATUS, _BY_REASON, _BY_MAJOR, _BY_MEDIUM, _BY_MINOR, _BY_ROW = 31, 15, 23, 19, 17, 30


@dataclass(frozen=True)
class _Sums:
    enterprises: int
    revenue: Decimal
    revenue_prior: Decimal | None
    revenue_matched: Decimal
    flagged: int


_EMPTY = _Sums(0, Decimal(0), None, Decimal(0), 0)


def _assemble(
    catalogue: Catalogue, aggregates: list[tuple[Any, ...]]
) -> tuple[
    list[Cell],
    Reconciliation,
    dict[str, tuple[int, Decimal]],
    int,
    list[tuple[str, dict[str, Any]]],
]:
    by_status: dict[str, _Sums] = {}
    issues: list[tuple[str, dict[str, Any]]] = []
    by_reason: dict[str, _Sums] = {}
    by_category: dict[str, _Sums] = {}
    for row in aggregates:
        status, reason, major, medium, minor, key, grouping, n, rev, prior, matched, flagged = row[
            :12
        ]
        sums = _Sums(int(n), rev or Decimal(0), prior, matched or Decimal(0), int(flagged))
        if grouping == _BY_ROW:
            if key is not None:
                issues.append((status, row[12]))
        elif grouping == _BY_STATUS:
            by_status[status] = sums
        elif grouping == _BY_REASON and reason is not None:
            by_reason[reason] = sums
        elif status == "digital" and grouping in (_BY_MAJOR, _BY_MEDIUM, _BY_MINOR):
            code = {_BY_MAJOR: major, _BY_MEDIUM: medium, _BY_MINOR: minor}[grouping]
            by_category[code] = sums

    def cell(level: str, code: str, name: str, partial: bool, sums: _Sums) -> Cell:
        return Cell(
            level,
            code,
            name,
            partial,
            sums.enterprises,
            sums.revenue,
            sums.revenue_prior,
            sums.revenue_matched,
        )

    digital = by_status.get("digital", _EMPTY)
    cells = [cell("total", "", "数字消费合计", any(p.partial for p in catalogue.patterns), digital)]
    cells.extend(
        cell(c.level, c.code, c.name, catalogue.is_partial(c.code), by_category.get(c.code, _EMPTY))
        for c in catalogue.categories.values()
    )
    reconciliation = Reconciliation(
        {s: by_status.get(s, _EMPTY).enterprises for s in STATUSES},
        {s: by_status.get(s, _EMPTY).revenue for s in STATUSES},
    )
    reasons = {
        k: (by_reason[k].enterprises, by_reason[k].revenue) for k in REASONS if k in by_reason
    }
    flagged = sum(by_status.get(s, _EMPTY).flagged for s in ("digital", "not_digital"))
    issues.sort(key=lambda item: (item[1]["file_idx"], item[1]["row_no"]))
    return cells, reconciliation, reasons, flagged, issues


def _issue(item: tuple[str, dict[str, Any]], files: list[InputFile]) -> RowIssue:
    status, details = item
    kept_file = details["kept_file_idx"]
    kept = None if kept_file is None else (files[kept_file].path, int(details["kept_row_no"]))
    values = {key: details[key] for key in RAW_KEYS}
    return RowIssue(
        files[details["file_idx"]].path,
        int(details["row_no"]),
        status,
        details["reason"],
        kept,
        tuple(details["flags"]),
        values,
    )
