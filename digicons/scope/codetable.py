"""The user's official GB/T 4754-2017 code table: real class codes and their names."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from digicons.errors import InputError
from digicons.inputs.files import read_text_table
from digicons.inputs.headers import find_header

ENV_VAR = "DIGICONS_CODES"
CODE_HEADERS = ("code", "代码", "行业代码", "类别代码", "小类代码")
NAME_HEADERS = ("name", "名称", "类别名称", "行业名称", "小类名称")
_CODE = re.compile(r"[A-T]|[A-T]?(\d{2,4})")


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


def load_code_table(path: Path) -> CodeTable:
    """Read an official code table (CSV or Excel with code and name columns)."""
    table = read_text_table(path)
    code_col = find_header(table.headers, *CODE_HEADERS)
    name_col = find_header(table.headers, *NAME_HEADERS)
    code_col = 0 if code_col is None else code_col
    name_col = 1 if name_col is None else name_col
    names: dict[str, str] = {}
    for row in table.rows:
        text = row[code_col].strip().upper()
        match = _CODE.fullmatch(text)
        if match is None:
            continue  # headings and notes that official tables carry between the codes
        code = match.group(1) or text
        names.setdefault(code, row[name_col].strip() if name_col < len(row) else "")
    if not any(len(code) == 4 for code in names):
        raise InputError(
            f"{path}：在列 '{table.headers[code_col]}' 中没有找到4位小类代码"
            f"（no 4-digit class codes found）",
            hint="The code table needs a code column (code/代码) and a name column (name/名称).",
        )
    return CodeTable(path, names)
