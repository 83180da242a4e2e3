"""The DuckDB connection of a measurement, and how DuckDB's errors become digicons errors."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from digicons.errors import (
    InputError,
    InternalError,
    Interrupted,
    OutputError,
    first_line,
    scratch_full,
)

Progress = Callable[[str], None]


def connect(scratch: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory database that spills to `scratch` and never downloads anything."""
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    con.execute("SET temp_directory = $dir", {"dir": str(scratch)})
    # Progress is tracked for our own display; DuckDB must not print its bar on stdout.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    return con


def translate(exc: duckdb.Error, files: Sequence[Path], scratch: Path) -> BaseException:
    """The digicons error for a DuckDB error: by its type, never by guesswork about the input.

    Reading an input (a damaged Parquet file, a file that vanished) is an input error naming the
    files; a full disk under the temporary folder an output error naming it; an interrupt is an
    interrupt; anything else is a fault of digicons' own SQL.
    """
    detail = first_line(exc)
    if isinstance(exc, duckdb.InterruptException):
        return Interrupted()
    if isinstance(exc, duckdb.IOException | duckdb.PermissionException | duckdb.HTTPException):
        if any(s in detail for s in ("No space left", "File too large", str(scratch))):
            return scratch_full(scratch.parent, exc)
        names = "、".join(str(f) for f in files) or "输入文件"
        return InputError(f"无法读取 {names}（cannot read the input: {detail}）")
    if isinstance(exc, duckdb.InvalidInputException) and files:
        names = "、".join(str(f) for f in files)
        return InputError(f"无法读取 {names}（cannot read the input: {detail}）")
    if isinstance(exc, duckdb.OutOfMemoryException):
        return OutputError(
            f"内存不足（out of memory: {detail}）",
            hint="请关闭其他程序，或分批处理输入文件。",
        )
    return InternalError(f"DuckDB: {detail}")


class Runner:
    """Runs the pipeline's queries, translating errors and reporting progress."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        scratch: Path,
        progress: Progress | None = None,
    ) -> None:
        self.con = con
        self.scratch = scratch
        self.report: Progress = progress or (lambda _message: None)
        self.files: list[Path] = []  # the inputs being read, named in input errors

    def execute(self, query: str, parameters: dict[str, Any] | None = None) -> None:
        with self.translated():
            self.con.execute(query, parameters or {})

    def rows(
        self, query: str, parameters: dict[str, Any] | None = None
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Column names and rows of a query."""
        with self.translated():
            cursor = self.con.execute(query, parameters or {})
            names = [column[0] for column in cursor.description or ()]
            return names, cursor.fetchall()

    @contextmanager
    def translated(self) -> Iterator[None]:
        try:
            yield
        except duckdb.Error as exc:
            raise translate(exc, self.files, self.scratch) from exc
        except RuntimeError as exc:
            # An interrupted query read through an Arrow stream surfaces as a RuntimeError.
            if "interrupted" in str(exc).lower():
                raise Interrupted() from exc
            raise

    @contextmanager
    def watched(self, stage: str) -> Iterator[None]:
        """Report the progress of the query running inside the block, twice a second."""
        self.report(stage)
        done = threading.Event()

        def poll() -> None:
            while not done.wait(0.5):
                percent = self.con.query_progress()
                if percent >= 0:
                    self.report(f"{stage} {percent:.0f}%")

        watcher = threading.Thread(target=poll, daemon=True)
        watcher.start()
        try:
            yield
        finally:
            done.set()
            watcher.join()
