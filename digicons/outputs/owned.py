"""Whether an existing file is one digicons wrote: a run replaces its own outputs, never a file
of someone else's that happens to stand where an output goes (报表.xlsx, notes.json).

Each format recognises its own files by what it always writes: workbooks carry a document
property, JSON documents their keys, CSV files their header row.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from digicons import __version__

# The custom document property of every workbook digicons writes (Excel: 文件 → 属性 → 自定义).
MARK = "digicons"
MARK_VALUE = __version__
_MARKED = f'name="{MARK}"'.encode()
# Workbooks written before the property: written by XlsxWriter (its fixed build number, which
# Excel rewrites on saving) with the sheets of a measure workbook, a series or a classified copy.
_XLSXWRITER = 'rupBuild="4505"'
_SHEET = re.compile(r'<sheet name="([^"]*)"')
_MEASURE_SHEETS = {"大类", "中类", "小类", "说明", "数据质量"}  # and 地区 with regions
_SERIES_SHEETS = {"大类", "中类", "小类"}
_CLASSIFIED_SHEETS = {"分类结果"}
_LARGEST_JSON = 200 * 2**20  # documents digicons writes are far smaller


def workbook(path: Path) -> bool:
    """Any workbook digicons writes (measure, series, classify -o .xlsx)."""
    try:
        with zipfile.ZipFile(path) as book:
            names = set(book.namelist())
            if "docProps/custom.xml" in names and _MARKED in book.read("docProps/custom.xml"):
                return True
            text = book.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    if _XLSXWRITER not in text:
        return False
    sheets = set(_SHEET.findall(text))
    return sheets >= _MEASURE_SHEETS or sheets in (_SERIES_SHEETS, _CLASSIFIED_SHEETS)


def json_document(path: Path) -> bool:
    """A `measure --json` document (its provenance) or a `series --json` one."""
    try:
        if path.stat().st_size > _LARGEST_JSON:
            return False
        document: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    if not isinstance(document, dict):
        return False
    provenance = document.get("provenance")
    measured = isinstance(provenance, dict) and "digicons_version" in provenance
    return measured or {"periods", "period_labels", "rows"} <= document.keys()


def _header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def issue_list(path: Path) -> bool:
    """The rejects CSV, or the 数据质量 CSV beside a workbook."""
    # Imported here: outputs.issues brings the readers (duckdb, pyarrow) that every command,
    # which imports the registry of outputs, would load for nothing.
    from digicons.outputs.issues import ISSUE_HEADERS

    return _header(path) == ISSUE_HEADERS


def classified(path: Path) -> bool:
    """The classified copy of a file (`classify --file`): CSV or workbook."""
    from digicons.scope.classify import ADDED_COLUMNS

    if path.suffix.lower() == ".xlsx":
        return workbook(path)
    header = _header(path)
    return header[-len(ADDED_COLUMNS) :] == list(ADDED_COLUMNS)
