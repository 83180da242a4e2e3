"""What a run must say about itself: warnings, from one table of codes.

A warning does not stop a run: the tables are written and the warning is printed, recorded on
the 说明 sheet and in the JSON (`warnings`: code, message). Under `--strict` every warning is a
failure and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from digicons.measure.result import MeasureResult

# Every code a warning can carry, and what it means.
WARNINGS: dict[str, str] = {
    "total_row_mismatch": "文件的合计行与各行之和不符",
}


@dataclass(frozen=True)
class RunWarning:
    """One thing a reader of the tables must know."""

    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in WARNINGS:
            raise ValueError(f"unknown warning code {self.code}")


def _amount(value: Decimal) -> str:
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def warnings_of(result: MeasureResult) -> list[RunWarning]:
    """The warnings a finished measurement carries."""
    found = []
    for source in result.sources:
        if source.total_rows and source.total_revenue != source.revenue_read:
            found.append(
                RunWarning(
                    "total_row_mismatch",
                    f"{source.path}：合计行营业收入为 {_amount(source.total_revenue)}，"
                    f"各行之和为 {_amount(source.revenue_read)}（{result.input_unit}），两者不符"
                    "（the total row disagrees with the sum of the rows）",
                )
            )
    return found
