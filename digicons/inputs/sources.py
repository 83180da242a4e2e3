"""Enterprise files registered in DuckDB as views with fixed column names.

Every file, whatever its format, becomes one view with the same columns: `file_idx`, `row_no` (the
line or sheet row a person finds it on), the text of each logical column as read (`*_raw`), the
amounts parsed (`revenue_value`, `revenue_prior_value`) and what the reader found wrong with a
record (`read_reason`, `read_flags`, `note`). CSV files are staged to Parquet (csvfile.py),
spreadsheets are read into Arrow (sheets.py), Parquet files are read where they are.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from digicons.errors import InputError, UsageError, first_line
from digicons.inputs import csvfile, sheets
from digicons.inputs.files import input_kind
from digicons.inputs.headers import (
    BY_KEY,
    COLUMNS,
    HEADER_SEARCH_ROWS,
    REQUIRED,
    Header,
    ambiguous_headers,
    column_place,
    header_units,
    match_headers,
    title_units,
)
from digicons.inputs.scan import ByteScan, ReadStats
from digicons.units import KNOWN_UNITS, UNITS, parse_unit

DEFAULT_INPUT_UNIT = "千元"
RAW_KEYS = ("credit_code", "name", "industry_code", "region", "revenue", "revenue_prior", "period")
AMOUNT_KEYS = ("revenue", "revenue_prior")
# Cells that decide how a row counts: an uncalculated formula there rejects the row; anywhere
# else it is read as empty, and flagged.
COUNTING_KEYS = frozenset({"revenue", "industry_code", "period"})
_DELIMITER_NAMES = {",": "逗号", "\t": "制表符", ";": "分号", "|": "竖线"}
_NUMERIC_PREFIXES = (
    *("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "U"),
    *("FLOAT", "DOUBLE", "DECIMAL", "REAL"),
)


ALL_SHEETS = "all"  # --sheet all: every sheet with the required headers


@dataclass(frozen=True)
class InputFile:
    """One enterprise file registered in DuckDB, with the columns found in it."""

    index: int
    path: Path
    kind: str  # csv, excel or parquet
    encoding: str | None
    headers: list[str]
    columns: dict[str, int]
    unit: str | None  # the revenue unit named in its header, e.g. 营业收入（千元）
    detail: str = ""  # 编码与分隔符, or the sheet read
    stats: ReadStats = field(default_factory=ReadStats)
    scan: ByteScan | None = field(default=None, compare=False, repr=False)
    read_columns: frozenset[str] = frozenset()  # of __row_no, __read_reason, __note
    title: tuple[str, ...] = ()  # rows above the header (a title may name the period)
    sheet: str | None = None  # with --sheet all: the one sheet of the workbook this source is

    @property
    def shown(self) -> Path:
        """The file as every output names it: with its sheet when a workbook gives several
        sources (q.xlsx【东城区】), so that a row number says where to look."""
        return (
            self.path
            if self.sheet is None
            else self.path.with_name(f"{self.path.name}【{self.sheet}】")
        )

    @property
    def sha256(self) -> str:
        return self.scan.sha256() if self.scan else ""

    @property
    def size(self) -> int:
        return self.scan.size() if self.scan else 0


@dataclass(frozen=True)
class SourceOptions:
    """How to read a set of files: forced encoding, header overrides, the sheet of a workbook."""

    encoding: str | None = None
    columns: dict[str, str] | None = None
    sheet: str | None = None
    reasons: dict[str, int] = field(default_factory=dict)  # read-stage rule ids
    # reject id, flag bit: cells with no usable value (uncalculated formulas, error values)
    formula_reasons: tuple[int, int] = (0, 0)


def _check_columns(
    path: Path,
    headers: list[str],
    columns: dict[str, int],
    required: frozenset[str],
    overrides: dict[str, str],
) -> None:
    for key, indexes in ambiguous_headers(headers, overrides).items():
        named = "、".join(f"'{headers[i]}'（第 {i + 1} 列）" for i in indexes)
        raise InputError(
            f"{path}：有 {len(indexes)} 列都可作为{BY_KEY[key].label}：{named}"
            f"（several columns could be {key}）",
            hint=f"用 --columns {key}=表头 或按列号 {key}=第{indexes[0] + 1}列 指定其中一列"
            "（choose one with --columns, by header or by place）。",
        )
    for key, given in overrides.items():
        place = column_place(given)
        if place is not None and not 0 <= place < len(headers):
            raise InputError(
                f"{path}：--columns {key}={given}：文件只有 {len(headers)} 列"
                f"（the file has {len(headers)} columns）",
            )
    missing = [c for c in COLUMNS if c.key in required and c.key not in columns]
    if missing:
        names = ", ".join(f"{c.key} ({' / '.join(c.aliases[:3])})" for c in missing)
        if len(columns) < 2:  # no row named two known columns: no header was found at all
            raise InputError(
                f"{path}：前 {HEADER_SEARCH_ROWS} 行中没有表头（no row of the first "
                f"{HEADER_SEARCH_ROWS} names two of the columns: {names}）",
                hint="表头应含 统一社会信用代码、单位详细名称、行业代码、营业收入 等列名；"
                "其他列名用 --columns KEY=表头 指定（map others with --columns KEY=HEADER）。",
            )
        raise InputError(
            f"{path}：缺少必需的列（required column(s) missing: {names}）",
            hint=f"Headers found: {', '.join(h for h in headers if h)}. "
            "用 --columns KEY=表头 指定其他表头（map others with --columns KEY=HEADER）。",
        )


def register(
    con: duckdb.DuckDBPyConnection,
    name: str,
    index: int,
    path: Path,
    options: SourceOptions,
    scratch: Path,
    required: frozenset[str] = REQUIRED,
    *,
    sheet: tuple[sheets.Sheet, ByteScan] | None = None,
) -> InputFile:
    """Register one file as view `{name}_{index}` and find its columns; `sheet`: one sheet of a
    workbook read sheet by sheet (--sheet all), already read, with the one scan of the
    workbook's bytes."""
    kind = input_kind(path)
    overrides = options.columns or {}
    view = f"{name}_{index}"
    try:
        if kind == "csv":
            return _register_csv(con, view, index, path, options, scratch, required)
        if kind == "excel":
            return _register_sheet(con, view, index, path, options, required, sheet)
        relation = con.read_parquet(str(path), file_row_number=True)
    except duckdb.Error as exc:
        raise InputError(f"{path}：无法读取（cannot be read: {first_line(exc)}）") from exc
    headers = [c for c in relation.columns if c != "file_row_number"]
    columns = match_headers(headers, overrides)
    _check_columns(path, headers, columns, required, overrides)
    relation.create_view(view)
    rows = pq.ParquetFile(path).metadata.num_rows
    return InputFile(
        index,
        path,
        kind,
        None,
        headers,
        columns,
        _unit(path, headers, columns),
        "Parquet",
        ReadStats(data_lines=rows),
        ByteScan(path),
    )


def _unit(path: Path, headers: list[str], columns: dict[str, int]) -> str | None:
    """The unit the amount headers name (营业收入（千元）); both amounts in one unit."""
    named = {
        headers[columns[key]]: header_units(headers[columns[key]])
        for key in ("revenue", "revenue_prior")
        if key in columns
    }
    units = set().union(*named.values())
    if len(units) > 1:
        said = "；".join(f"'{h}'：{'、'.join(sorted(u))}" for h, u in named.items() if u)
        raise InputError(
            f"{path}：营业收入的表头写了不同的金额单位（{said}）"
            "（the amount headers name different units）",
            hint="请核对表头的金额单位，改正后再读取。",
        )
    return next(iter(units), None)


def _shape(header: Header, unit: str | None, title: tuple[str, ...]) -> str:
    """What the detail of a CSV or sheet adds about its header: two rows, and a unit named in a
    title row rather than in the header."""
    shape = "，两行表头" if header.height == 2 else ""
    above = _title_units(title)
    if unit is None and above:
        shape += f"，标题行写明金额单位：{'、'.join(above)}"
    return shape


def _title_units(title: tuple[str, ...]) -> tuple[str, ...]:
    """The units the title rows name, smallest first (元, 千元, 万元, 亿元)."""
    order = list(UNITS)  # a unit digicons does not know last: units_named refuses it
    return tuple(
        sorted(title_units(title), key=lambda u: order.index(u) if u in UNITS else len(order))
    )


def _register_csv(
    con: duckdb.DuckDBPyConnection,
    view: str,
    index: int,
    path: Path,
    options: SourceOptions,
    scratch: Path,
    required: frozenset[str],
) -> InputFile:
    dialect = csvfile.sniff(path, options.encoding, options.columns)
    headers = dialect.header.names
    columns = match_headers(headers, options.columns or {})
    _check_columns(path, headers, columns, required, options.columns or {})
    # The lines are counted beside staging; the contents are hashed after it, beside the stages
    # that leave a core idle: on two cores, hashing beside the parser and the writer slowed both
    # (10M records: 0.2 s, medians of six runs each). The second read comes from the page cache
    # when the file fits in memory.
    lines = ByteScan(path, dialect.newline.encode(), hash_too=False)
    staged = scratch / f"{view}.parquet"
    stats = csvfile.stage(path, dialect, columns, staged, scratch, lines, options.reasons)
    scan = ByteScan(path)
    con.read_parquet(str(staged)).create_view(view)
    unit = _unit(path, headers, columns)
    detail = f"{dialect.encoding}，{_DELIMITER_NAMES.get(dialect.delimiter, dialect.delimiter)}分隔"
    detail += _shape(dialect.header, unit, dialect.title)
    return InputFile(
        index,
        path,
        "csv",
        dialect.encoding,
        headers,
        columns,
        unit,
        detail,
        stats,
        scan,
        frozenset(csvfile.READ_COLUMNS),
        dialect.title,
    )


def _register_sheet(
    con: duckdb.DuckDBPyConnection,
    view: str,
    index: int,
    path: Path,
    options: SourceOptions,
    required: frozenset[str],
    part: tuple[sheets.Sheet, ByteScan] | None = None,
) -> InputFile:
    overrides = options.columns or {}
    sheet, scan = (
        part
        if part is not None
        else (sheets.read_sheet(path, options.sheet, overrides), ByteScan(path))
    )
    headers = sheet.header.names
    columns = match_headers(headers, overrides)
    _check_columns(path, headers, columns, required, overrides)
    reject, flag = options.formula_reasons
    values: dict[str, list[str | None]] = {key: [] for key in columns}
    reasons: list[int | None] = []
    flags: list[int] = []
    notes: list[str | None] = []
    numbers: list[int] = []
    blank = 0
    for row, number in zip(sheet.rows, sheet.numbers, strict=True):
        reason: int | None = None
        bits = 0
        note = []
        cells: dict[str, str | None] = {}
        for key, position in columns.items():
            held = sheet.no_value.get((number, position))
            if held is None:
                cells[key] = row[position] or None
                continue
            note.append(f"{headers[position]}：{held}")
            if key in COUNTING_KEYS:
                reason = reject
                cells[key] = held  # shown as read; counted as nothing
            else:
                bits |= flag
                cells[key] = None
        # Text only in columns not read (填表人 in the 序号 column) leaves a blank row, as a
        # CSV or Parquet file's reader finds it.
        if not bits and all(v is None for v in cells.values()):
            blank += 1
            continue
        for key, value in cells.items():
            values[key].append(value)
        reasons.append(reason)
        flags.append(bits)
        notes.append("；".join(note) or None)
        numbers.append(number)
    table = pa.table(
        {
            **{key: pa.array(v, pa.string()) for key, v in values.items()},
            "__row_no": pa.array(numbers, pa.int64()),
            "__read_reason": pa.array(reasons, pa.int8()),
            "__read_flags": pa.array(flags, pa.int32()),
            "__note": pa.array(notes, pa.string()),
        }
    )
    con.from_arrow(table).create_view(view)
    detail = f"工作表 {sheet.name}" + (
        f"（共 {sheet.sheet_count} 个）" if sheet.sheet_count > 1 else ""
    )
    unit = _unit(path, headers, columns)
    detail += _shape(sheet.header, unit, sheet.title)
    if sheet.filled:
        spans = "、".join(f"{name} {cells:,} 格" for name, cells in sheet.filled.items())
        detail += f"；合并单元格的值填入所跨各行：{spans}"
    stats = ReadStats(
        data_lines=len(sheet.rows) + sheet.blank_rows,
        records=len(numbers),
        blank_lines=sheet.blank_rows + blank,
    )
    return InputFile(
        index,
        path,
        "excel",
        None,
        headers,
        columns,
        unit,
        detail,
        stats,
        scan,
        frozenset({*csvfile.READ_COLUMNS, "__read_flags"}),
        sheet.title,
        sheet.name if part is not None else None,
    )


def units_named(f: InputFile) -> tuple[str, ...]:
    """The revenue units a file names: in its revenue header (营业收入（千元）), else in the title
    rows above the table (单位：万元). A title and a header that disagree are an input error."""
    above = _title_units(f.title)
    unknown = sorted({*above, *filter(None, [f.unit])} - set(UNITS))
    if unknown:
        raise InputError(
            f"{f.shown}：文件写明的金额单位{'、'.join(unknown)}不是 digicons 可用的单位"
            f"（可用：{KNOWN_UNITS}）（the file names a unit digicons does not know）",
            hint="请把营业收入换算为可用的单位，改正表头或标题行后再读取。",
        )
    if f.unit is None:
        return above
    if set(above) - {f.unit}:
        raise InputError(
            f"{f.path}：标题行写的金额单位是{'、'.join(above)}，营业收入表头写的是{f.unit}"
            "（the title and the revenue header name different units）",
            hint="请核对文件的金额单位，改正标题行或表头。",
        )
    return (f.unit,)


def input_unit(files: list[InputFile], given: str | None) -> str:
    """The unit of the inputs' revenue: --input-unit, else the one the files name, else 千元."""
    named = [(f, units_named(f)) for f in files]
    if given is not None:
        unit = parse_unit(given)
        for f, units in named:
            if units and unit not in units:
                raise UsageError(
                    f"{f.path}：文件写明的营业收入单位是{'、'.join(units)}，"
                    f"而 --input-unit 为{unit}"
                    f"（the file names {'/'.join(units)}, but --input-unit is {unit}）",
                )
        return unit
    for f, units in named:
        if len(units) > 1:
            raise InputError(
                f"{f.path}：标题行写了多个金额单位：{'、'.join(units)}"
                "（the title rows name more than one unit）",
                hint="请用 --input-unit 指定营业收入的单位。",
            )
    distinct = {units[0] for _, units in named if units}
    silent = [f for f, units in named if not units]
    if len(distinct) == 1 and silent and DEFAULT_INPUT_UNIT not in distinct:
        # One file names 万元, another no unit: reading that one in 万元 too would be a guess.
        raise InputError(
            f"{silent[0].path}：没有写明营业收入的单位，而其他输入文件写明是{distinct.pop()}"
            "（one input names no unit, the others name one）",
            hint="请用 --input-unit 指定全部输入文件的营业收入单位。",
        )
    if len(distinct) > 1:
        raise UsageError(
            f"输入文件的营业收入单位不同：{'、'.join(sorted(distinct))}"
            "（input files name different revenue units）",
            hint="请把同一单位的文件放在一起测算。",
        )
    return distinct.pop() if distinct else DEFAULT_INPUT_UNIT


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _is_numeric(kind: str) -> bool:
    return kind.upper().startswith(_NUMERIC_PREFIXES)


def create_rows_view(
    con: duckdb.DuckDBPyConnection, files: list[InputFile], name: str, view: str
) -> None:
    """One view `view` over the files registered as `name_N`, columns renamed to fixed names."""
    selects = []
    for f in files:
        described = con.execute(f"DESCRIBE {name}_{f.index}").fetchall()
        types = {str(col): str(kind) for col, kind, *_ in described}
        staged = f.kind != "parquet"  # staged files name their columns by logical key
        parts = [f"{f.index} AS file_idx"]
        parts.append("__row_no AS row_no" if staged else "file_row_number + 1 AS row_no")
        present = []
        for key in RAW_KEYS:
            if key not in f.columns:
                parts.append(f"NULL::VARCHAR AS {key}_raw")
                if key in AMOUNT_KEYS:
                    parts.append(f"NULL::DECIMAL(18, 4) AS {key}_value")
                continue
            # The identifier comes from the file's own schema (an allow-list) and is quoted.
            column = _quote(key if staged else f.headers[f.columns[key]])
            present.append(column)
            kind = types[key if staged else f.headers[f.columns[key]]]
            parts.append(f"CAST({column} AS VARCHAR) AS {key}_raw")
            if key in AMOUNT_KEYS:
                # Text goes through the amount rule; so does any other type as its text (a date
                # or a boolean is then no number: rejected or flagged, never an error of ours).
                value = (
                    f"TRY_CAST({column} AS DECIMAL(18, 4))"
                    if _is_numeric(kind)
                    else f"amount({column})"
                    if kind == "VARCHAR"
                    else f"amount(CAST({column} AS VARCHAR))"
                )
                parts.append(f"{value} AS {key}_value")
        parts.append("__read_reason AS read_reason" if staged else "NULL::TINYINT AS read_reason")
        parts.append(
            "__read_flags AS read_flags" if "__read_flags" in f.read_columns else "0 AS read_flags"
        )
        parts.append("__note AS note" if staged else "NULL::VARCHAR AS note")
        where = ""
        if not staged:  # staged files leave blank rows out; a Parquet file's are left out here
            where = " WHERE NOT (" + " AND ".join(f"{c} IS NULL" for c in present) + ")"
        selects.append(f"SELECT {', '.join(parts)} FROM {name}_{f.index}{where}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS " + "\nUNION ALL\n".join(selects))


def register_all(
    con: duckdb.DuckDBPyConnection,
    name: str,
    paths: list[Path],
    options: SourceOptions,
    scratch: Path,
    required: frozenset[str] = REQUIRED,
) -> list[InputFile]:
    """Register files as `name_0`, `name_1`, … and one view `name_rows` over them all; with
    `--sheet all`, every sheet of a workbook that has the required headers is a source of its
    own."""
    files: list[InputFile] = []
    for path in paths:
        if options.sheet == ALL_SHEETS and input_kind(path) == "excel":
            scan = ByteScan(path)  # the workbook's bytes hashed once, for all its sheets
            # One opening of the workbook for all its sheets, each read when it is registered.
            with closing(sheets.each_sheet(path, options.columns or {})) as found:
                for sheet in found:
                    files.append(
                        register(
                            con,
                            name,
                            len(files),
                            path,
                            options,
                            scratch,
                            required,
                            sheet=(sheet, scan),
                        )
                    )
        else:
            files.append(register(con, name, len(files), path, options, scratch, required))
    create_rows_view(con, files, name, f"{name}_rows")
    return files
