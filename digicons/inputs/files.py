"""Which files are inputs, of what kind; small tables read whole, as text."""

from __future__ import annotations

import datetime as dt
import glob
from dataclasses import dataclass, field
from pathlib import Path

from digicons.errors import InputError

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
WPS_SUFFIXES = {".et", ".ett"}  # WPS 表格's own format, its default on many office machines
INPUT_SUFFIXES = CSV_SUFFIXES | SPREADSHEET_SUFFIXES | PARQUET_SUFFIXES
# Excel keeps `~$name.xlsx` beside a workbook while it is open: a few bytes, never data.
LOCK_PREFIX = "~$"


@dataclass(frozen=True)
class TextTable:
    """A small table read entirely as text: headers and rows of strings."""

    path: Path
    headers: list[str]
    rows: list[list[str]]
    first_row: int  # the spreadsheet row number of rows[0] (the one below the header when none)
    numbers: list[int]  # the line or row of each of rows


@dataclass
class Expansion:
    """The files named, found in folders or matched by globs, and what was left out, and why."""

    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def file_kind(path: Path) -> str:
    """Return 'csv', 'excel' or 'parquet' by suffix; refuse anything else."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in SPREADSHEET_SUFFIXES:
        return "excel"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    wps = "WPS 表格的文件请在 WPS 中另存为 .xlsx。" if suffix in WPS_SUFFIXES else ""
    raise InputError(
        f"{path}：不支持的文件类型 '{suffix or '（无扩展名）'}'（unsupported file type）",
        hint=wps + "请使用 CSV（.csv/.txt/.tsv）、Excel（.xlsx/.xls/.ods）或 Parquet（.parquet）。",
    )


# What a spreadsheet file starts with: OLE2 (.xls, .et) or zip (.xlsx, .ods).
_SPREADSHEET_MAGIC = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04")


def input_kind(path: Path) -> str:
    """The reader for an input file: by suffix, except that a spreadsheet name over text is read
    as text (systems "export to Excel" as tab-separated text named .xls), and a web page or
    XML table under that name is refused by name."""
    kind = file_kind(path)
    if kind != "excel":
        return kind
    with path.open("rb") as handle:
        start = handle.read(512)
    if start.startswith(_SPREADSHEET_MAGIC) or not start:
        return kind
    head = start.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if head.startswith(b"<"):
        raise InputError(
            f"{path}：扩展名是 {path.suffix}，内容却是网页（HTML）或 XML 表格，不是 Excel 工作簿"
            "（an HTML or XML table saved under a spreadsheet name）",
            hint="请在 Excel 或 WPS 中打开，另存为 .xlsx 或 CSV 后再读取。",
        )
    return "csv"


def check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}：文件不存在（no such file）")
    if not path.is_file():
        raise InputError(f"{path}：不是文件（not a file）")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise InputError(f"{path}：无法读取（cannot be read: {exc.strerror}）") from exc
    if path.stat().st_size == 0:
        raise InputError(
            f"{path}：文件是空的（0 字节）（the file is empty）",
            hint="请检查导出是否完成，或换用完整的文件。",
        )


def is_lock_file(path: Path) -> bool:
    return path.name.startswith(LOCK_PREFIX)


def written_by_digicons(path: Path) -> str | None:
    """What digicons wrote `path` as (a workbook, a list of rejected rows, a classified copy),
    or None. Its rows were read, counted or listed before: read again, they would count twice."""
    # The recognisers live with the outputs: each format knows the files it writes.
    from digicons.outputs import owned

    suffix = path.suffix.lower()
    if not path.is_file() or suffix not in SPREADSHEET_SUFFIXES | CSV_SUFFIXES:
        return None
    if suffix == ".xlsx" and owned.workbook(path):
        return "工作簿"
    if suffix in CSV_SUFFIXES and owned.issue_list(path):
        return "剔除行和质量标记行清单"
    if suffix in CSV_SUFFIXES and owned.classified(path):
        return "分类结果"
    return None


def expand_inputs(items: list[Path]) -> Expansion:
    """Files named, folders (their CSV/Excel/Parquet files, sorted) and glob patterns.

    Hidden files and Excel lock files inside a folder or a glob are left out, with a note.
    """
    found = Expansion()

    def take(candidates: list[Path]) -> None:
        for path in candidates:
            if is_lock_file(path):
                found.notes.append(f"跳过 Excel 锁定文件 {path}（an open workbook's lock file）")
            elif path.name.startswith("."):
                continue
            elif what := written_by_digicons(path):
                # Quarter after quarter in one folder: the last run's outputs are no input.
                found.notes.append(
                    f"跳过 digicons 写出的{what} {path}"
                    "（an output of digicons, not enterprise data）"
                )
            else:
                found.paths.append(path)

    for item in items:
        text = str(item)
        if any(ch in text for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(text))
            if not matches:
                raise InputError(f"{item}：没有匹配的文件（no files match）")
            take([p for p in matches if p.is_file()])
        elif item.is_dir():
            inside = sorted(
                p for p in item.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
            )
            take(inside)
            if not any(p.parent == item for p in found.paths):
                raise InputError(
                    f"{item}：文件夹中没有 CSV、Excel 或 Parquet 文件"
                    "（folder holds no CSV, Excel or Parquet files）"
                )
        else:
            if what := written_by_digicons(item):
                raise InputError(
                    f"{item}：是 digicons 写出的{what}，不是企业数据（an output of digicons, "
                    "not an input）",
                    hint="请改用原始的企业数据文件。",
                )
            found.paths.append(item)
    # A file named twice (its folder and itself, say) is read once: read twice, every row of it
    # would be a repeated credit code.
    seen: dict[Path, Path] = {}
    for path in found.paths:
        first = seen.setdefault(path.resolve(), path)
        if first is not path:
            found.notes.append(
                f"{path} 与 {first} 是同一个文件，只读一次（named twice, read once）"
            )
    found.paths = list(seen.values())
    for path in found.paths:
        check_readable(path)
        if input_kind(path) != file_kind(path):
            found.notes.append(
                f"{path} 的扩展名是 {path.suffix}，内容是文本（如制表符分隔），按文本读取"
                "（text under a spreadsheet name, read as text）"
            )
    return found


def cell_text(value: object) -> str:
    """The text of one spreadsheet cell as a person reads it (no `1234.0` for 1234)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def read_text_table(path: Path, encoding: str | None = None) -> TextTable:
    """Read a small CSV, spreadsheet or Parquet file completely, every cell as text."""
    check_readable(path)
    kind = input_kind(path)
    if kind == "csv":
        from digicons.inputs.csvfile import read_small_csv

        return read_small_csv(path, encoding)
    if kind == "excel":
        from digicons.inputs.sheets import read_sheet

        sheet = read_sheet(path, None, {})
        first = sheet.numbers[0] if sheet.numbers else sheet.header_row + 1
        return TextTable(path, sheet.header.names, sheet.rows, first, list(sheet.numbers))
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise InputError(
            f"{path}：不是可读的 Parquet 文件（not a readable Parquet file: {exc}）"
        ) from exc
    columns = [[cell_text(v) for v in column.to_pylist()] for column in table.columns]
    rows = [list(row) for row in zip(*columns, strict=True)] if columns else []
    numbers = list(range(1, len(rows) + 1))
    return TextTable(path, [str(h) for h in table.column_names], rows, 1, numbers)
