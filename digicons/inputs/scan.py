"""A file's bytes read once, in a background thread: its size, SHA-256 and line count.

Provenance needs the SHA-256 of every input, and the CSV reader needs the number of lines to
prove that every line was accounted for. Both come from one read, beside the real work (hashlib
and numpy release the GIL while they run).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_CHUNK = 1 << 24


@dataclass
class ReadStats:
    """How the lines (CSV) or rows (spreadsheet, Parquet) of a file were taken: every physical
    data line is one of these."""

    data_lines: int = 0  # physical lines (CSV) or rows below the header (spreadsheet, Parquet)
    records: int = 0  # rows read (the blank ones are counted apart)
    blank_lines: int = 0
    swallowed_lines: int = 0  # the further lines of records that span several (CSV)
    unparsed: int = 0  # records the parser could not take (CSV)


class ByteScan:
    """Starts reading `path` at once; the answers wait for the read to finish."""

    def __init__(self, path: Path, newline: bytes | None = None, *, hash_too: bool = True) -> None:
        self.path = path
        self._newline = newline
        self._hash_too = hash_too
        self._digest = ""
        self._breaks = 0
        self._size = 0
        self._ends_with_break = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"scan {path.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            digest = hashlib.sha256()
            code = self._newline[0] if self._newline else None
            last = b""
            with self.path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    if self._hash_too:
                        digest.update(chunk)
                    if code is not None:
                        self._breaks += int(
                            np.count_nonzero(np.frombuffer(chunk, dtype=np.uint8) == code)
                        )
                    self._size += len(chunk)
                    last = chunk[-1:]
            self._digest = digest.hexdigest() if self._hash_too else ""
            self._ends_with_break = bool(self._newline) and last == self._newline
        except BaseException as exc:  # reported to whoever asks for the answers
            self._error = exc

    def _wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error

    def sha256(self) -> str:
        self._wait()
        return self._digest

    def size(self) -> int:
        self._wait()
        return self._size

    def lines(self) -> int:
        """Lines of text: line breaks, plus one for a last line without its break."""
        self._wait()
        if self._size == 0:
            return 0
        return self._breaks + (0 if self._ends_with_break else 1)
