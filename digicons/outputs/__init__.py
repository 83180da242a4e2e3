"""Outputs of a measurement: a registry of formats behind one all-or-nothing `write_all`.

Each format names the file suffix it writes and the function that writes it to a path. The files
of one run are planned together (`plan_measure_outputs`) and written together (`write_all`): each
to a temporary file beside its destination, renamed into place only when every one succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from digicons.outputs.staging import staged

Writer = Callable[[Path], None]


@dataclass(frozen=True)
class Output:
    """One file to write: where, what kind (a key of FORMATS), and how."""

    path: Path
    kind: str
    write: Writer


@dataclass(frozen=True)
class Format:
    """An output format: a label for people and the suffixes its files take."""

    label: str
    suffixes: tuple[str, ...]


FORMATS: dict[str, Format] = {
    "workbook": Format("Excel 工作簿", (".xlsx",)),
    "json": Format("JSON", (".json",)),
    "rejects": Format("剔除行 CSV", (".csv",)),
    "issues": Format("数据质量 CSV", (".csv",)),
    "classified": Format("分类结果（CSV 或 Excel）", (".csv", ".xlsx", ".xlsm")),
}


def write_all(outputs: list[Output]) -> list[Path]:
    """Write every output or none: staged beside each destination, renamed only on success."""
    paths = [o.path for o in outputs]
    with staged(paths) as temps:
        for output, temp in zip(outputs, temps, strict=True):
            output.write(temp)
    return paths
