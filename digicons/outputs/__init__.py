"""Outputs of a run: a registry of formats behind one all-or-nothing `write_all`.

Each format names the file suffixes it writes. The files of one run are planned together and
written together (`write_all`): checked first (no output may be an input or another output, each
takes its format's suffix), then each written to a temporary file beside its destination and
renamed into place only when every one succeeded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from digicons.errors import OutputError, UsageError
from digicons.outputs import owned
from digicons.outputs.staging import check_writable, staged

Writer = Callable[[Path], None]


@dataclass(frozen=True)
class Output:
    """One file to write: where, what kind (a key of FORMATS), and how."""

    path: Path
    kind: str
    write: Writer


@dataclass(frozen=True)
class Format:
    """An output format: a label for people, the option that names it, the suffixes it takes,
    and how it knows a file it wrote (which a run may replace without --overwrite)."""

    label: str
    option: str
    suffixes: tuple[str, ...]  # empty: any
    owned: Callable[[Path], bool]


FORMATS: dict[str, Format] = {
    "workbook": Format("Excel 工作簿", "-o/--output", (".xlsx",), owned.workbook),
    "json": Format("JSON", "--json", (), owned.json_document),
    "rejects": Format("剔除行 CSV", "--rejects", (".csv",), owned.issue_list),
    "issues": Format("数据质量 CSV", "（工作簿旁）", (".csv",), owned.issue_list),
    "classified": Format("分类结果", "-o/--output", (".csv", ".xlsx"), owned.classified),
    "series": Format("Excel 工作簿", "-o/--output", (".xlsx",), owned.workbook),
}


def dumps(document: object) -> str:
    """JSON as every command prints or writes it: Chinese as it is, indented."""
    return json.dumps(document, ensure_ascii=False, indent=2)


def _same(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def check_outputs(
    planned: Iterable[tuple[Path, str]], inputs: Iterable[Path] = (), *, overwrite: bool = False
) -> None:
    """Refuse outputs that would destroy something (an input, another output, without
    `overwrite` a file digicons did not write), a wrong suffix, or a place that cannot be
    written: before any work, and again when writing."""
    seen: list[tuple[Path, str]] = []
    sources = list(inputs)
    for path, kind in planned:
        fmt = FORMATS[kind]
        if fmt.suffixes and path.suffix.lower() not in fmt.suffixes:
            raise UsageError(
                f"{path}：{fmt.label}的文件名应以 {' 或 '.join(fmt.suffixes)} 结尾"
                f"（{fmt.option} must name a {'/'.join(fmt.suffixes)} file）",
            )
        for source in sources:
            if _same(path, source):
                raise UsageError(
                    f"{path}：输出文件不能是输入文件（an output may not overwrite an input）",
                    hint=f"请为 {fmt.option} 另选一个文件名。",
                )
        for other, other_kind in seen:
            if _same(path, other):
                raise UsageError(
                    f"{path}：{FORMATS[other_kind].option} 与 {fmt.option} 指向同一个文件"
                    "（two outputs name the same file）",
                )
        if not overwrite and path.is_file() and not fmt.owned(path):
            raise UsageError(
                f"{path}：文件已存在，且不是 digicons 写出的{fmt.label}，为免误删，不覆盖"
                "（refusing to overwrite a file digicons did not write）",
                hint=f"请为 {fmt.option} 另选一个文件名；确要覆盖它时加 --overwrite。",
            )
        check_writable(path)
        seen.append((path, kind))


def write_all(
    outputs: list[Output], inputs: Iterable[Path] = (), *, overwrite: bool = False
) -> list[Path]:
    """Write every output or none: checked, staged beside each destination, renamed on success."""
    check_outputs([(o.path, o.kind) for o in outputs], inputs, overwrite=overwrite)
    paths = [o.path for o in outputs]
    with staged(paths) as temps:
        for output, temp in zip(outputs, temps, strict=True):
            try:
                output.write(temp)
            except OSError as exc:
                raise OutputError(
                    f"无法写入 {output.path}：{exc.strerror or exc}（cannot write {output.path}）",
                    hint="请检查磁盘空间和文件夹权限。",
                ) from exc
    return paths
