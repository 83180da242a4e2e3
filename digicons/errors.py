"""The one family of errors digicons raises; the CLI maps each to an exit status."""

from __future__ import annotations

import errno


class DigiconsError(Exception):
    """A problem the user can act on: a message, and a hint saying what to do."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\n{self.hint}"


class ChecksFailedError(DigiconsError):
    """The run finished but did not pass its checks (a warning under --strict)."""

    exit_code = 1


class UsageError(DigiconsError):
    """Arguments or options that cannot work together."""

    exit_code = 2


class InputError(DigiconsError):
    """An input file that is missing, unreadable or lacks what is needed."""

    exit_code = 3


class OutputError(DigiconsError):
    """An output that cannot be written."""

    exit_code = 4


class DataError(DigiconsError):
    """The packaged classification data or queries are missing or inconsistent."""

    exit_code = 5


class InternalError(DigiconsError):
    """digicons contradicts itself (a query result of the wrong shape): a bug, never bad input."""

    exit_code = 70

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(
            f"内部错误：{message}",
            hint or "这是 digicons 的缺陷，不是输入的问题。请用 --debug 重新运行并报告其输出。",
        )


class Interrupted(BaseException):
    """Ctrl-C, SIGTERM or SIGHUP: unwind (cleaning up) and exit 130 quietly.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` swallows it.
    """

    exit_code = 130


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (library errors can run to many lines)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def is_disk_full(exc: OSError) -> bool:
    """A write failed for want of space (or past a size limit), not for a fault of the data."""
    return exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


def scratch_full(folder: object, exc: BaseException) -> OutputError:
    return OutputError(
        f"临时文件夹 {folder} 写不下了（cannot write temporary data: {first_line(exc)}）",
        hint="请腾出磁盘空间，或用 TMPDIR 指定另一个临时文件夹。",
    )
