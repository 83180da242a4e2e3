"""Shared fixtures: the catalogue, and the reference GB/T 4754-2017 table from ../shared."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from digicons.scope.catalogue import Catalogue, load_catalogue

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO.parent / "shared" / "reference" / "gbt4754_2017.csv"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def reference_path() -> Path:
    if not REFERENCE.is_file():
        pytest.skip(
            f"reference table {REFERENCE} is absent (../shared not checked out beside the repo)"
        )
    return REFERENCE


@pytest.fixture(scope="session")
def reference_rows(reference_path: Path) -> list[dict[str, str]]:
    with reference_path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def reference_classes(reference_rows: list[dict[str, str]]) -> list[str]:
    return [r["code"] for r in reference_rows if r["level"] == "class"]
