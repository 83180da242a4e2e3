"""Enterprise files registered in DuckDB as views with fixed column names."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from digicons.errors import InputError, UsageError, first_line
from digicons.inputs.files import detect_encoding, file_kind, read_excel_rows
from digicons.inputs.headers import (
    COLUMNS,
    HEADER_SEARCH_ROWS,
    header_row,
    header_unit,
    match_headers,
)
from digicons.units import UNITS, parse_unit

DEFAULT_INPUT_UNIT = "千元"
RAW_KEYS = ("credit_code", "name", "industry_code", "region", "revenue", "revenue_prior", "period")
REQUIRED = frozenset(c.key for c in COLUMNS if c.required)


@dataclass(frozen=True)
class InputFile:
    """One enterprise file registered in DuckDB, with the columns found in it."""

    index: int
    path: Path
    kind: str
    encoding: str | None
    headers: list[str]
    columns: dict[str, int]
    unit: str | None  # the revenue unit named in its header, e.g. 营业收入（千元）


@dataclass(frozen=True)
class SourceOptions:
    """How to read a set of files: forced encoding and header overrides."""

    encoding: str | None = None
    columns: dict[str, str] | None = None


def register(
    con: duckdb.DuckDBPyConnection,
    name: str,
    index: int,
    path: Path,
    options: SourceOptions,
    scratch: Path,
    required: frozenset[str] = REQUIRED,
) -> InputFile:
    """Register one file as view `{name}_{index}` and find its columns."""
    kind = file_kind(path)
    encoding = None
    view = f"{name}_{index}"
    try:
        if kind == "csv":
            encoding = detect_encoding(path, options.encoding)
            staged = scratch / f"{name}_{index}.parquet"
            stage_csv(path, staged, encoding)
            relation = con.read_parquet(str(staged))
        elif kind == "parquet":
            relation = con.read_parquet(str(path), file_row_number=True)
        else:
            relation = con.from_arrow(_excel_table(path, options.columns or {}))
        relation.create_view(view)
    except duckdb.Error as exc:
        raise InputError(f"{path}: cannot be read ({first_line(exc)})") from exc
    headers = [c for c in relation.columns if c not in ("file_row_number", "__row_no")]
    headers = [h.lstrip("\ufeff") for h in headers]
    columns = match_headers(headers, options.columns or {})
    missing = [c for c in COLUMNS if c.key in required and c.key not in columns]
    if missing:
        names = ", ".join(f"{c.key} ({' / '.join(c.aliases[:3])})" for c in missing)
        raise InputError(
            f"{path}: required column(s) missing: {names}",
            hint=f"Headers found: {', '.join(headers)}. Map others with --columns KEY=HEADER.",
        )
    unit = header_unit(headers[columns["revenue"]])
    return InputFile(index, path, kind, encoding, headers, columns, unit if unit in UNITS else None)


def stage_csv(path: Path, target: Path, encoding: str) -> None:
    """Copy a CSV file to Parquet, every column as text, with its line numbers (`__row_no`).

    DuckDB's CSV reader can number rows only through a window over the whole file, which holds
    every row in memory; pyarrow streams the file (decoding GB18030 on the way) in constant memory,
    and every later pass then reads compact Parquet with projection.
    """
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open("rb") as handle:
        head = [
            handle.readline().decode(encoding, errors="replace").lstrip("\ufeff")
            for _ in range(HEADER_SEARCH_ROWS)
        ]
    lines = [next(csv.reader([line], delimiter=delimiter), []) for line in head]
    skip = header_row(lines)  # title lines above the header, in some exports
    headers = lines[skip]
    try:
        reader = pa_csv.open_csv(
            path,
            read_options=pa_csv.ReadOptions(encoding=encoding, block_size=1 << 24, skip_rows=skip),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                # With and without a byte-order mark, whichever the reader keeps.
                column_types=dict.fromkeys(
                    [*headers, *("\ufeff" + h for h in headers)], pa.string()
                ),
                strings_can_be_null=True,
                null_values=[""],
            ),
        )
        row = skip + 2  # the line after the header
        writer = None
        try:
            for batch in reader:
                numbers = pa.array(range(row, row + batch.num_rows), pa.int64())
                row += batch.num_rows
                table = pa.Table.from_batches([batch]).append_column("__row_no", numbers)
                if writer is None:
                    writer = pq.ParquetWriter(target, table.schema)
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()
        if writer is None:  # a header and no rows: a district with no enterprises this quarter
            empty = {h: pa.array([], pa.string()) for h in headers}
            pq.write_table(pa.table({**empty, "__row_no": pa.array([], pa.int64())}), target)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise InputError(
            f"{path}: cannot be read as CSV ({first_line(exc)})",
            hint="Check that every row has as many fields as the header, or name the encoding "
            "with --encoding utf-8|gbk.",
        ) from exc


def _excel_table(path: Path, overrides: dict[str, str]) -> pa.Table:
    sheet = read_excel_rows(path)
    headers, rows = sheet.headers, sheet.rows
    industry = match_headers(headers, overrides).get("industry_code")
    columns: dict[str, list[str | None]] = {}
    for position, header in enumerate(headers):
        values: list[str | None] = [row[position] or None for row in rows]
        if position == industry:
            # A code typed as a number lost its leading zero (0111 → 111); put it back.
            values = [v.zfill(4) if v and v.isdigit() and len(v) < 4 else v for v in values]
        columns[_unique(header or f"column{position + 1}", columns)] = values
    columns["__row_no"] = [str(n) for n in sheet.numbers]
    return pa.table(columns)


def _unique(name: str, taken: dict[str, list[str | None]]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def input_unit(files: list[InputFile], given: str | None) -> str:
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


def create_rows_view(
    con: duckdb.DuckDBPyConnection, files: list[InputFile], name: str, view: str
) -> None:
    """One view `view` over the files registered as `name_N`, columns renamed to fixed names."""
    selects = []
    for f in files:
        described = con.execute(f"DESCRIBE {name}_{f.index}").fetchall()
        types = {str(col).lstrip("\ufeff"): str(kind) for col, kind, *_ in described}
        actual = [str(col) for col, *_ in described]
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
        selects.append(f"SELECT {', '.join(parts)} FROM {name}_{f.index}")
    con.execute(f"CREATE TEMP VIEW {view} AS " + "\nUNION ALL\n".join(selects))


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
    return "CAST(__row_no AS BIGINT)"  # CSV (staged) and Excel carry their line numbers


def register_all(
    con: duckdb.DuckDBPyConnection,
    name: str,
    paths: list[Path],
    options: SourceOptions,
    scratch: Path,
    required: frozenset[str] = REQUIRED,
) -> list[InputFile]:
    """Register files as `name_0`, `name_1`, … and one view `name_rows` over them all."""
    files = [
        register(con, name, index, path, options, scratch, required)
        for index, path in enumerate(paths)
    ]
    create_rows_view(con, files, name, f"{name}_rows")
    return files
