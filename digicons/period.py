"""Report periods: quarters, as 联网直报 files give them (cumulative from January)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from digicons.errors import UsageError
from digicons.text import compact

# Every form of a quarter that --period, a 报告期 cell or a shares file's period may take (after
# NFKC, spaces removed), each naming the year and a quarter, a quarter's last month or a date in it.
_FORMS = (
    # 2024Q3, 2024-Q3, 2024年3季度, 2024年1-3季度
    re.compile(r"(?P<year>[0-9]{4})[-_/]?[Qq](?P<quarter>[1-4])"),
    re.compile(r"(?P<year>[0-9]{4})年(?:1[-—~])?(?P<quarter>[1-4])季度"),
    # 202409, 2024-09
    re.compile(r"(?P<year>[0-9]{4})[-/]?(?P<month>03|06|09|12)"),
    # 2024年1-9月 (cumulative to September), 2024年9月, 2024.09
    re.compile(r"(?P<year>[0-9]{4})年(?:1[-—~至])?(?P<month>[0-9]{1,2})月"),
    re.compile(r"(?P<year>[0-9]{4})\.(?P<month>[0-9]{2})"),
    # 2024年三季度, 2024年第三季度, 2024年第3季度
    re.compile(r"(?P<year>[0-9]{4})年第?(?P<quarter>[一二三四1-4])季度"),
    # January to the end of a quarter in words: 2024年前三季度, 2024年前两季度, 2024年上半年
    re.compile(r"(?P<year>[0-9]{4})年?前(?P<quarter>[两二三2-3])个?季度"),
    re.compile(r"(?P<year>[0-9]{4})年?(?P<half>上半年)"),
    # The whole year, as annual reports name it: 2024年, 2024年度, 2024年全年 (January to
    # December: the fourth quarter). Not in titles, where 2024年度 is a survey's year.
    re.compile(r"(?P<year>[0-9]{4})(?P<whole>年|年度|年?全年)"),
    # A date in the period's last month, as spreadsheets and databases export it: 2024-09-30,
    # 2024/9/30, 2024-09-30T00:00:00 (an Excel date cell), 2024-09-30 00:00:00.
    re.compile(
        r"(?P<year>[0-9]{4})(?P<sep>[-/])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
        r"(?:T?00:00(?::00)?)?"
    ),
)
_CHINESE_QUARTER = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
# A period inside running text (a title row: 规模以上服务业企业财务状况（2024年1-3季度）): the
# forms above that a title writes, each match then read by find_period. A pattern of its own:
# the bare forms (202409) would find periods in any run of digits.
_PERIOD_IN_TEXT = re.compile(
    r"[0-9]{4}(?:年(?:1[-—~至])?[0-9]{1,2}月|年第?[一二三四1-4]季度|年1[-—~][1-4]季度"
    r"|年?前[两二三2-3]个?季度|年?上半年|\s*[-_/]?\s*[Qq][1-4]|\.[0-9]{2})"
)
# Words in a header or title row about the months its figures cover: 1-6月, 7月-9月, 1-2季度, and
# the words of a single quarter or month (本季, 当月).
_MONTH_SPAN = re.compile(r"(?<![0-9])(?P<first>[0-9]{1,2})月?[-—~至](?P<last>[0-9]{1,2})月")
_QUARTER_SPAN = re.compile(r"(?P<first>[1-4一二三四])[-—~至](?P<last>[1-4一二三四])季")
# The first quarters of a year in words: 前三季度, 前两季度, 上半年 (January to June).
_FIRST_QUARTERS = re.compile(r"前(?P<last>[两二三2-3])个?季度|(?P<half>上半年)")
_SINGLE_QUARTER = re.compile(r"本季|当季|单季")
_SINGLE_MONTH = re.compile(r"本月|当月")


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


def find_period(text: str) -> Period | None:
    """The quarter a text names (cumulative from January), or None when it names none."""
    value = compact(text)
    for form in _FORMS:
        match = form.fullmatch(value)
        if match is None:
            continue
        found = match.groupdict()
        if found.get("day") is not None and not _is_date(found):
            return None
        if "month" in found:
            month = int(found["month"])
            return Period(int(found["year"]), month // 3) if month in (3, 6, 9, 12) else None
        quarter = "2" if found.get("half") else "4" if found.get("whole") else found["quarter"]
        return Period(int(found["year"]), _CHINESE_QUARTER.get(quarter) or int(quarter))
    return None


def periods_in(text: str) -> set[Period]:
    """Every quarter named inside a text, such as a title row above a header."""
    found = set()
    for match in _PERIOD_IN_TEXT.finditer(unicodedata.normalize("NFKC", text)):
        named = find_period(match.group(0))
        if named is not None:
            found.add(named)
    return found


def other_span(text: str, period: Period) -> str | None:
    """The words of a header or title row saying that its figures cover other months than
    January to the end of `period` (1-6月 or 本季 in a 2024Q3 run), or None."""
    value = compact(text)
    for match in _MONTH_SPAN.finditer(value):
        if (int(match["first"]), int(match["last"])) != (1, 3 * period.quarter):
            return match.group(0)
    for match in _QUARTER_SPAN.finditer(value):
        first, last = (_CHINESE_QUARTER.get(q) or int(q) for q in match.group("first", "last"))
        if (first, last) != (1, period.quarter):
            return match.group(0)
    for match in _FIRST_QUARTERS.finditer(value):
        last = 2 if match["half"] else _CHINESE_QUARTER.get(match["last"]) or int(match["last"])
        if last != period.quarter:
            return match.group(0)
    single = _SINGLE_MONTH.search(value) or (
        _SINGLE_QUARTER.search(value) if period.quarter != 1 else None
    )
    return single.group(0) if single else None


def _is_date(found: dict[str, str]) -> bool:
    try:
        dt.date(int(found["year"]), int(found["month"]), int(found["day"]))
    except ValueError:
        return False
    return True


def parse_period(text: str) -> Period:
    """Parse a quarter in any of the forms of `find_period`; a usage error otherwise."""
    found = find_period(text)
    if found is not None:
        return found
    raise UsageError(
        f"报告期 '{text}' 不是季度（period '{text}' is not a quarter）",
        hint="请写作 2024Q3（也可写 2024年1-3季度、2024年前三季度、2024年第三季度、202409）。",
    )
