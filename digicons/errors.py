"""The one family of errors digicons raises; the CLI maps each to an exit status."""

from __future__ import annotations


class DigiconsError(Exception):
    """A problem the user can act on: a message, and a hint saying what to do."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\n{self.hint}"


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
