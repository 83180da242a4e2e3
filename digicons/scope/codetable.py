"""The user's official GB/T 4754-2017 code table: real class codes and their names."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from digicons.errors import InputError
from digicons.inputs.files import read_text_table
from digicons.inputs.headers import HEADER_SEARCH_ROWS, find_header
from digicons.scope.gbt4754 import code_text

ENV_VAR = "DIGICONS_CODES"
CODE_HEADERS = ("code", "代码", "行业代码", "类别代码", "小类代码")
NAME_HEADERS = ("name", "名称", "类别名称", "行业名称", "小类名称")
_CODE = re.compile(r"[A-T]|[A-T]?([0-9]{2,4})")
# The official layout (NBS): a column per level, each row's code in the column of its level.
LEVEL_HEADERS = {"门类": 1, "大类": 2, "中类": 3, "小类": 4}  # → digits (a letter for 门类)


@dataclass(frozen=True)
class CodeTable:
    """Codes (section letters, divisions, groups, classes) and their official names."""

    source: Path
    names: dict[str, str]

    @property
    def classes(self) -> list[str]:
        return [code for code in self.names if len(code) == 4]

    def is_class(self, code: str) -> bool:
        return len(code) == 4 and code in self.names


def config_path(env: Mapping[str, str] = os.environ) -> Path:
    """Where digicons looks for a code table when neither --codes nor DIGICONS_CODES is given."""
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "digicons" / "codes.csv"


def locate_code_table(explicit: Path | None, env: Mapping[str, str] = os.environ) -> Path | None:
    """The code table in force: --codes, else $DIGICONS_CODES, else the config file if present."""
    if explicit is not None:
        return explicit
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR])
    for suffix in (".csv", ".xlsx"):
        candidate = config_path(env).with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def _below_title(headers: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """The header row of a code table and the rows below it: official tables put a title or
    two above the header (国民经济行业分类（GB/T 4754—2017）)."""
    known = set(CODE_HEADERS) | set(NAME_HEADERS) | set(LEVEL_HEADERS)
    candidates = [headers, *rows[:HEADER_SEARCH_ROWS]]
    for index, row in enumerate(candidates):
        if sum(cell.strip() in known for cell in row) >= 2:
            return row, rows[index:]
    return headers, rows


def _code(cell: str, digits: int | None) -> str | None:
    """The code a cell holds, or None (a heading or note between the codes). In a level's own
    column, a number that lost its leading zeros gets them back (112 in 小类 is 0112)."""
    text = code_text(cell)
    if digits is not None and digits > 1 and text.isdigit() and len(text) < digits:
        text = text.zfill(digits)
    match = _CODE.fullmatch(text)
    if match is None:
        return None
    code = match.group(1) or text
    if digits is not None and len(code) != digits:
        return None  # a code of another level in this level's column: not what it seems
    return code


def load_code_table(path: Path) -> CodeTable:
    """Read an official code table (CSV or Excel with code and name columns)."""
    table = read_text_table(path)
    headers, rows = _below_title(table.headers, table.rows)
    code_col = find_header(headers, *CODE_HEADERS)
    name_col = find_header(headers, *NAME_HEADERS)
    levels = {
        i: LEVEL_HEADERS[h.strip()] for i, h in enumerate(headers) if h.strip() in LEVEL_HEADERS
    }
    code_col = 0 if code_col is None and not levels else code_col
    code_cols = sorted(levels) if code_col is None else [code_col]
    name_col = 1 if name_col is None else name_col
    names: dict[str, str] = {}
    for row in rows:
        for column in code_cols:
            code = _code(row[column] if column < len(row) else "", levels.get(column))
            if code is not None:
                names.setdefault(code, row[name_col].strip() if name_col < len(row) else "")
    if not any(len(code) == 4 for code in names):
        where = "、".join(f"'{headers[c]}'" for c in code_cols if c < len(headers))
        raise InputError(
            f"{path}：在列 {where} 中没有找到4位小类代码（no 4-digit class codes found）",
            hint="代码表需要代码列（代码 / code，或 门类、大类、中类、小类 各一列）和名称列"
            "（名称 / 类别名称 / name）。",
        )
    return CodeTable(path, names)
