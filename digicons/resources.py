"""Locates the data that ships with digicons: `classification/` and `queries/`."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from digicons.errors import DataError

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder `name`: inside the installed package, else beside it in a source tree."""
    # A wheel carries the folders inside the package; an editable install sees the source tree,
    # where they sit at the top level next to the package.
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise DataError(
        f"digicons cannot find its '{name}' folder.",
        hint="Reinstall digicons (pip install .); the folder ships inside the package.",
    )


@cache
def sql(name: str) -> str:
    """Return the text of `queries/<name>.sql`."""
    path = resource_dir("queries") / f"{name}.sql"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot read query {path}: {exc.strerror}") from exc


def data_rows(path: Path) -> list[dict[str, str]]:
    """Read one packaged CSV file (UTF-8, header row) as dictionaries."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from exc
