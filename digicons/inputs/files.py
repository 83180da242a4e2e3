"""Reading tabular files (CSV in UTF-8 or GB18030, Excel, Parquet) as text."""

from __future__ import annotations

import codecs
import datetime as dt
import glob
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from digicons.errors import InputError
from digicons.inputs.headers import header_row

if TYPE_CHECKING:
    import pandas as pd

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "gb18030": "gb18030",
}
_SNIFF_BYTES = 1 << 20


@dataclass(frozen=True)
class TextTable:
    """A small table read entirely as text: headers and rows of strings."""

    path: Path
    headers: list[str]
    rows: list[list[str]]
    first_row: int  # the spreadsheet row number of rows[0]


def file_kind(path: Path) -> str:
    """Return 'csv', 'excel' or 'parquet' by suffix; refuse anything else."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in EXCEL_SUFFIXES:
        return "excel"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise InputError(
        f"{path}: unsupported file type '{suffix or '(none)'}'",
        hint="Use CSV (.csv), Excel (.xlsx) or Parquet (.parquet).",
    )


def check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc


def detect_encoding(path: Path, forced: str | None = None) -> str:
    """Return 'utf-8' (with or without BOM) or 'gb18030', from the first megabyte of a CSV file."""
    if forced is not None:
        key = forced.lower().replace("_", "-")
        if key not in ENCODINGS:
            raise InputError(
                f"unknown encoding '{forced}'",
                hint="Use one of: utf-8, gbk, gb18030.",
            )
        return ENCODINGS[key]
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # Not final: the sample may end inside a multi-byte character.
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def cell_text(value: object) -> str:
    """The text of one spreadsheet cell as a person reads it (no `1234.0` for 1234)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def read_text_table(path: Path, encoding: str | None = None) -> TextTable:
    """Read a small CSV or Excel file completely, every cell as text."""
    check_readable(path)
    kind = file_kind(path)
    if kind == "csv":
        frame = _read_csv_frame(path, detect_encoding(path, encoding))
        headers = [str(h).strip() for h in frame.columns]
        return TextTable(path, headers, frame.to_numpy().tolist(), 2)
    if kind == "excel":
        sheet = read_excel_rows(path)
        return TextTable(path, sheet.headers, sheet.rows, sheet.numbers[0] if sheet.numbers else 2)
    import pandas as pd

    try:
        frame = pd.read_parquet(path).astype("string").fillna("")
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
    return TextTable(path, [str(h) for h in frame.columns], frame.to_numpy().tolist(), 1)


@dataclass(frozen=True)
class ExcelRows:
    """The header and the non-empty rows of a sheet, with each row's number in the sheet."""

    headers: list[str]
    rows: list[list[str]]
    numbers: list[int]


def read_excel_rows(path: Path) -> ExcelRows:
    """The first sheet of a workbook as text; the header may sit below a few title rows."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and others for damaged files
        raise InputError(f"{path}: not a readable Excel workbook ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        lines = [
            (number, [cell_text(v) for v in raw])
            for number, raw in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    lines = [(n, row) for n, row in lines if any(row)]
    if not lines:
        raise InputError(f"{path}: the first sheet is empty")
    start = header_row([row for _, row in lines])
    headers = [h.strip() for h in lines[start][1]]
    width = len(headers)
    body = lines[start + 1 :]
    rows = [row[:width] + [""] * (width - len(row)) for _, row in body]
    return ExcelRows(headers, rows, [n for n, _ in body])


def _read_csv_frame(path: Path, encoding: str) -> pd.DataFrame:
    import pandas as pd  # slow to import; only small text tables need it

    try:
        return pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig" if encoding == "utf-8" else encoding,
            sep="\t" if path.suffix.lower() == ".tsv" else ",",
        )
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: cannot be decoded as {encoding} (byte {exc.start})",
            hint="Name the encoding with --encoding utf-8|gbk.",
        ) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc})") from exc


def expand_inputs(items: list[Path]) -> list[Path]:
    """Files named, folders (their CSV/Excel/Parquet files, sorted) and glob patterns."""
    found: list[Path] = []
    for item in items:
        text = str(item)
        if any(ch in text for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(text))
            if not matches:
                raise InputError(f"{item}: no files match")
            found.extend(p for p in matches if p.is_file())
        elif item.is_dir():
            inside = sorted(
                p
                for p in item.iterdir()
                if p.is_file()
                and not p.name.startswith(".")
                and p.suffix.lower() in CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES
            )
            if not inside:
                raise InputError(f"{item}: folder holds no CSV, Excel or Parquet files")
            found.extend(inside)
        else:
            found.append(item)
    for path in found:
        check_readable(path)
        file_kind(path)
    return found
