"""Spreadsheets (.xlsx, .xlsm, .xls, .ods) read with python-calamine.

calamine reads all three formats, several times faster than openpyxl, and gives each cell's
cached value. What it cannot say is whether an empty cell is a formula that was never calculated
(a workbook written by a program and never opened in a spreadsheet program), or an error value
(#DIV/0!, #N/A): for .xlsx that is read from the sheet's XML, and only when the sheet holds
formulas or errors at all.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from posixpath import join as posix_join
from posixpath import normpath
from xml.etree import ElementTree

from digicons.errors import InputError
from digicons.inputs.files import cell_text
from digicons.inputs.headers import (
    HEADER_SEARCH_ROWS,
    REQUIRED,
    Header,
    locate_header,
    match_headers,
)

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]+)([0-9]+)")


@dataclass(frozen=True)
class Sheet:
    """The rows below the header of one sheet, as text, with their row numbers in the sheet."""

    path: Path
    name: str
    sheet_count: int
    header: Header
    header_row: int  # the sheet row of the header's first row (1-based)
    rows: list[list[str]]
    numbers: list[int]
    blank_rows: int
    title: tuple[str, ...]  # the filled rows above the header, their cells joined
    # (sheet row, column index) → what a cell with no usable value holds: a formula never
    # calculated, or an error value (#DIV/0!, #N/A)
    no_value: dict[tuple[int, int], str] = field(default_factory=dict)
    filled: dict[str, int] = field(default_factory=dict)  # header → cells filled from a merge


# Columns whose merged cells mean "every row of the range": a district's code or an industry
# merged down its enterprises. Never amounts (one figure for several rows cannot be split) nor
# credit codes and names (who the rows are).
MERGE_FILLED = ("industry_code", "region", "period")


def _open(path: Path) -> object:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own types for damaged or foreign files
        raise InputError(
            f"{path}：不是可读的电子表格（not a readable spreadsheet: {exc}）",
            hint="请在电子表格程序中打开并另存为 .xlsx。",
        ) from exc


def _rows(workbook: object, name: str, limit: int | None = None) -> list[list[object]]:
    sheet = workbook.get_sheet_by_name(name)  # type: ignore[attr-defined]
    if limit is None:
        rows: list[list[object]] = sheet.to_python(skip_empty_area=False)
        return rows
    found = []
    for row in sheet.iter_rows():
        found.append(row)
        if len(found) >= limit:
            break
    return found


def _merged(workbook: object, name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The merged ranges of a sheet, 0-based (first row, column), (last row, column); none
    where the format does not say (.ods)."""
    sheet = workbook.get_sheet_by_name(name)  # type: ignore[attr-defined]
    ranges: list[tuple[tuple[int, int], tuple[int, int]]] | None = sheet.merged_cell_ranges
    return ranges or []


def _merge_fills(
    raw: list[list[object]],
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    columns: set[int],
    below: int,
) -> dict[tuple[int, int], object]:
    """(sheet row, column) → the value of the merged range that covers the cell, for the ranges
    of `columns` that lie below sheet row `below` (the header's last row)."""
    fills: dict[tuple[int, int], object] = {}
    for (first, left), (last, right) in merged:
        if first + 1 <= below or first >= len(raw) or left >= len(raw[first]):
            continue
        value = raw[first][left]
        for column in set(range(left, right + 1)) & columns:
            for row in range(first + 1, last + 1):
                fills[(row + 1, column)] = value
    return fills


def _texts(rows: list[list[object]]) -> list[list[str]]:
    return [[cell_text(v) for v in row] for row in rows]


def choose_sheet(
    path: Path, workbook: object, wanted: str | None, overrides: dict[str, str]
) -> str:
    """The sheet to read: `--sheet NAME|N`, else the one sheet whose header names the required
    columns (more than one such sheet is an error that lists them)."""
    names: list[str] = list(workbook.sheet_names)  # type: ignore[attr-defined]
    if wanted is not None:
        if wanted in names:
            return wanted
        if wanted.isdigit() and 1 <= int(wanted) <= len(names):
            return names[int(wanted) - 1]
        raise InputError(
            f"{path}：没有工作表 '{wanted}'（no such sheet）",
            hint=f"工作表：{'、'.join(names)}。用 --sheet 名称或序号（从 1 起）选择。",
        )
    if len(names) == 1:
        return names[0]
    complete = _complete(workbook, names, overrides)
    if len(complete) == 1:
        return complete[0]
    if not complete:
        raise InputError(
            f"{path}：没有一个工作表含有所需的表头（no sheet has the required headers）",
            hint=f"工作表：{'、'.join(names)}。用 --sheet 选择，或用 --columns 指定表头。",
        )
    raise InputError(
        f"{path}：有 {len(complete)} 个工作表含有所需的表头：{'、'.join(complete)}"
        "（several sheets hold the required headers）",
        hint="用 --sheet 名称或序号选择其中一个，或用 --sheet all 读取全部（如每区一个工作表）。",
    )


def _complete(workbook: object, names: list[str], overrides: dict[str, str]) -> list[str]:
    """The sheets whose header names the required columns."""
    complete = []
    for name in names:
        head = _texts(_rows(workbook, name, HEADER_SEARCH_ROWS + 1))
        header = locate_header(head, overrides)
        if set(match_headers(header.names, overrides)) >= REQUIRED:
            complete.append(name)
    return complete


def each_sheet(path: Path, overrides: dict[str, str]) -> Generator[Sheet, None, None]:
    """Every sheet of a workbook that holds the required headers (--sheet all), read in turn
    from one opening of the workbook; none is an error."""
    workbook = _open(path)
    try:
        names: list[str] = list(workbook.sheet_names)  # type: ignore[attr-defined]
        complete = _complete(workbook, names, overrides)
        if not complete:
            raise InputError(
                f"{path}：没有一个工作表含有所需的表头（no sheet has the required headers）",
                hint=f"工作表：{'、'.join(names)}。用 --columns 指定表头。",
            )
        for name in complete:
            yield _read(path, workbook, name, overrides)
    finally:
        workbook.close()  # type: ignore[attr-defined]


def read_sheet(path: Path, wanted: str | None, overrides: dict[str, str]) -> Sheet:
    """Read one sheet of a workbook: its header (which may sit below title rows, or take two
    rows) and the non-blank rows below it, every cell as text."""
    workbook = _open(path)
    try:
        return _read(path, workbook, choose_sheet(path, workbook, wanted, overrides), overrides)
    finally:
        workbook.close()  # type: ignore[attr-defined]


def _read(path: Path, workbook: object, name: str, overrides: dict[str, str]) -> Sheet:
    raw = _rows(workbook, name)
    merged = _merged(workbook, name)
    count = len(workbook.sheet_names)  # type: ignore[attr-defined]
    # calamine starts at the sheet's first used row when skipping nothing; keep the true numbers.
    lines = [(number, row) for number, row in enumerate(raw, start=1)]
    filled = [(n, row) for n, row in lines if any(v not in (None, "") for v in row)]
    if not filled:
        raise InputError(f"{path}：工作表 {name} 是空的（the sheet is empty）")
    header = locate_header(_texts([row for _, row in filled[: HEADER_SEARCH_ROWS + 1]]), overrides)
    header_row = filled[header.start][0]
    columns = match_headers(header.names, overrides)
    numeric_text = {columns[k] for k in ("credit_code",) if k in columns}
    width = len(header.names)
    header_last = filled[header.data_start - 1][0]
    body = [(n, row) for n, row in lines if n > header_last]
    fills = _merge_fills(
        raw, merged, {columns[k] for k in MERGE_FILLED if k in columns}, header_last
    )
    filled_cells: dict[str, int] = {}
    rows: list[list[str]] = []
    numbers: list[int] = []
    blank = 0
    for number, row in body:
        if not any(v not in (None, "") for v in row):
            blank += 1
            continue
        cells = []
        for i in range(width):
            value = row[i] if i < len(row) else None
            if value in (None, "") and (number, i) in fills:
                value = fills[(number, i)]
                filled_cells[header.names[i]] = filled_cells.get(header.names[i], 0) + 1
            # A credit code stored as a number lost digits; keep its number form visible.
            if i in numeric_text and isinstance(value, float):
                cells.append(repr(value))
            else:
                cells.append(cell_text(value))
        rows.append(cells)
        numbers.append(number)
    # Blank rows after the last filled row are not lines of data: calamine stops at the last.
    no_value = _without_value(path, name) if path.suffix.lower() in (".xlsx", ".xlsm") else {}
    title = tuple(
        " ".join(cell_text(v) for v in row if v not in (None, ""))
        for _, row in filled[: header.start]
    )
    return Sheet(
        path, name, count, header, header_row, rows, numbers, blank, title, no_value, filled_cells
    )


def _without_value(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Cells of an .xlsx sheet that hold no usable value, and what they hold instead: a formula
    never calculated (no cached value: "公式 =D2*2 未计算"), or an error value, computed or typed
    ("公式 =1/0 的结果为 #DIV/0!"; calamine hands both over as empty cells)."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet)
            if part is None:
                return {}
            with archive.open(part) as handle:
                data = handle.read()
            if b"<f" not in data and b't="e"' not in data:  # the usual case: neither
                return {}
            found: dict[tuple[int, int], str] = {}
            for _, element in ElementTree.iterparse(io.BytesIO(data)):
                if element.tag != f"{_MAIN}c":
                    continue
                formula = element.find(f"{_MAIN}f")
                value = element.find(f"{_MAIN}v")
                cached = "" if value is None else value.text or ""
                what = None
                if element.get("t") == "e":
                    what = (
                        f"公式 ={formula.text or ''} 的结果为 {cached}"
                        if formula is not None
                        else f"错误值 {cached}"
                    )
                elif formula is not None and not cached:
                    what = f"公式 ={formula.text or ''} 未计算"
                match = _CELL_REF.fullmatch(element.get("r", ""))
                if what is not None and match:
                    found[(int(match.group(2)), _column_index(match.group(1)))] = what
                element.clear()
            return found
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return {}


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    for element in workbook.iter(f"{_MAIN}sheet"):
        if element.get("name") == sheet:
            target = targets.get(element.get(f"{_REL}id"), "")
            return (
                target.lstrip("/") if target.startswith("/") else normpath(posix_join("xl", target))
            )
    return None


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1
