"""Report periods: quarters, as 联网直报 files give them (cumulative from January)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from digicons.errors import UsageError

_FORMS = (
    re.compile(r"(?P<year>\d{4})\s*[-_/]?\s*[Qq](?P<quarter>[1-4])"),
    re.compile(r"(?P<year>\d{4})年(?:1[-—~])?(?P<quarter>[1-4])季度"),
)
_MONTH = re.compile(r"(?P<year>\d{4})[-/]?(?P<month>03|06|09|12)")


@dataclass(frozen=True, order=True)
class Period:
    """A quarter of a year; data cover January to the end of that quarter."""

    year: int
    quarter: int

    @property
    def key(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def label(self) -> str:
        """The label of a cumulative release: 2024年1-3季度 (or 2024年1季度)."""
        if self.quarter == 1:
            return f"{self.year}年1季度"
        return f"{self.year}年1-{self.quarter}季度"

    def previous(self) -> Period:
        """The quarter before, in the same year (quarter 0 for the first: no such quarter)."""
        return Period(self.year, self.quarter - 1)

    @property
    def quarter_label(self) -> str:
        """The label of the single quarter (单季): 2024年第3季度."""
        return f"{self.year}年第{self.quarter}季度"


def parse_period(text: str) -> Period:
    """Parse 2024Q3, 2024-Q3, 2024年3季度, 2024年1-3季度, 202409 or 2024-09 (same rule as SQL)."""
    value = text.strip()
    for form in _FORMS:
        match = form.fullmatch(value)
        if match:
            return Period(int(match["year"]), int(match["quarter"]))
    match = _MONTH.fullmatch(value)
    if match:
        return Period(int(match["year"]), int(match["month"]) // 3)
    raise UsageError(
        f"报告期 '{text}' 不是季度（period '{text}' is not a quarter）",
        hint="请写作 2024Q3（也可写 2024年1-3季度、2024年第三季度、202409）。",
    )
