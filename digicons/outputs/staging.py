"""Writing output files atomically: a failed run leaves nothing half-written."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from digicons.errors import OutputError


def check_writable(path: Path) -> None:
    """Fail early, before any work, when `path` cannot be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path}：是文件夹，不是文件（is a folder, not a file）")
    if not folder.is_dir():
        raise OutputError(f"{path}：文件夹 {folder} 不存在（folder {folder} does not exist）")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputError(f"{path}：无法写入（not writable）")


def _mode_for(path: Path) -> int:
    """The mode the file would have had if written directly: the existing file's, else the
    umask's (mkstemp makes every temporary file 0600)."""
    if path.exists():
        return stat.S_IMODE(path.stat().st_mode)
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def staged(paths: list[Path]) -> Iterator[list[Path]]:
    """Yield temporary paths beside `paths`; on success move them into place, else remove them."""
    temps: list[Path] = []
    try:
        for path in paths:
            check_writable(path)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            os.close(handle)
            temps.append(Path(name))
        yield temps
        for temp, path in zip(temps, paths, strict=True):
            os.chmod(temp, _mode_for(path))
        for temp, path in zip(temps, paths, strict=True):
            os.replace(temp, path)
    except OSError as exc:
        raise OutputError(
            f"无法写入输出文件（cannot write {', '.join(map(str, paths))}）：{exc.strerror or exc}",
            hint="请检查磁盘空间和文件夹权限。",
        ) from exc
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write one file through `write(temporary_path)`, then rename it into place."""
    with staged([path]) as (temp,):
        write(temp)
