"""The look of every published table: official style and print setup (XlsxWriter).

A table is a title centred over it, a line with the period and the 计量单位, a header (centred,
wrapped, between a thick rule above and a thin one below), the rows, a thick rule under the last
row, notes (注：…) wrapped across the table's width, and the 资料来源 line: the three-line table of
official statistics. Text is set in 宋体, figures in one font, right-aligned, with thousands
separators and fixed decimals. Every sheet prints on A4, one page wide (or, when a table is too
wide for that, across pages with its code and name columns repeated), with the title and header
repeated on every page and 第 N 页 共 M 页 in the footer.

Sheets are written row by row, top to bottom: the workbook is built in constant memory.
"""

from __future__ import annotations

import math
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from digicons.inputs.normalise import printable
from digicons.outputs import owned
from digicons.outputs.listing import Listing, listing

TEXT_FONT = "宋体"
FIGURE_FONT = "Times New Roman"
SIZE = 10
TITLE_SIZE = 14
SUPPRESSED = "×"  # hidden for confidentiality (统计法第二十五条)
NOT_COMPUTABLE = "—"  # no prior-year base, or a base that is not positive
NUMBER_FORMATS = {
    "count": "#,##0",
    "money": "#,##0.00",
    "pct": "0.0",
    "pp": "0.00",
    "int": "0",
}
FIGURES = frozenset(NUMBER_FORMATS)
# What A4 holds at 100 %, in column-width units, as LibreOffice prints it (measured on the demo
# workbook: a landscape page takes about 100).
PORTRAIT_WIDTH = 68
LANDSCAPE_WIDTH = 100
WIDE_SCALE = 80  # % at which a table too wide for one page prints, across pages
ROW_HEIGHT = 15  # points, for one line of 10-point text
FOOTER = "&C第 &P 页 共 &N 页"  # 第 N 页 共 M 页, centred
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,  # text that looks like a formula stays text
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def partial_note(description: str) -> str:
    """The note every table with * categories carries."""
    return f"* 表示该类别所含行业只有部分属于数字消费；部分行业处理方式：{description}。"


def chart_font(size: int, *, figures: bool = False, bold: bool = False) -> dict[str, Any]:
    """A chart's text in the tables' fonts (an explicit bold: charts make titles bold)."""
    return {"name": FIGURE_FONT if figures else TEXT_FONT, "size": size, "bold": bold}


@dataclass(frozen=True)
class Column:
    """A column of a table: its header, its width in characters, and what it holds."""

    header: str
    width: float
    kind: str = "text"  # code, text, or one of NUMBER_FORMATS


@dataclass(frozen=True)
class Row:
    """A row of a table: its values (a symbol string stands for a figure), and its place in the
    hierarchy (bold group rows, indented children)."""

    values: Sequence[object]
    bold: bool = False
    indent: int = 0


@dataclass
class Table:
    """Everything one table shows, in print order."""

    title: str
    period: str  # the left of the line under the title, e.g. 统计期：2024年1-3季度（累计）
    unit: str  # the right of that line, e.g. 计量单位：万元
    columns: list[Column]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    source: str = ""
    groups: list[tuple[str, int]] = field(default_factory=list)  # a header row above: (text, span)
    name_column: int = 1  # the column that is indented for hierarchy
    # A table too wide for one page prints across pages, its first `repeat` columns on each:
    # the title and notes then span the first page only, and pages break between groups.
    repeat: int = 0


@dataclass(frozen=True)
class Placed:
    """Where a table went on its sheet (0-based rows and columns)."""

    header_first: int
    header_last: int
    body_first: int
    body_last: int
    end: int  # the last row used, notes and source included
    last_column: int
    breaks: tuple[int, ...] = ()  # columns that start a new page, for a wide table


def page_breaks(table: Table) -> tuple[int, ...]:
    """For a table wider than a landscape page: the columns where pages break, between groups."""
    width = sum(c.width for c in table.columns)
    if not table.repeat or width <= LANDSCAPE_WIDTH * 1.6:
        return ()
    room = LANDSCAPE_WIDTH * 100 / WIDE_SCALE - sum(c.width for c in table.columns[: table.repeat])
    breaks: list[int] = []
    used = 0.0
    start = 0
    for _, span in table.groups:
        group = sum(c.width for c in table.columns[start : start + span])
        if start >= table.repeat:
            if used + group > room and used > 0:
                breaks.append(start)
                used = 0.0
            used += group
        start += span
    return tuple(breaks)


def text_width(text: str) -> int:
    """Display width in character cells: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@contextmanager
def new_workbook(path: Path) -> Iterator[Styles]:
    """A workbook at `path` in constant memory, its temporary files in a folder of their own,
    closed on leaving (XlsxWriter's error of a full disk becomes the OSError it wraps)."""
    with tempfile.TemporaryDirectory(prefix="digicons-xlsx-") as scratch:
        workbook = Workbook(str(path), {**WORKBOOK_OPTIONS, "tmpdir": scratch})
        # How a later run knows this file as its own to replace (outputs.owned).
        workbook.set_custom_property(owned.MARK, owned.MARK_VALUE)
        styles = Styles(workbook)
        yield styles
        try:
            workbook.close()
        except XlsxWriterException as exc:
            raise OSError(str(exc)) from exc
    for rows in styles.listings:  # written into the finished file (outputs.listing)
        rows.add_to(path)


class Styles:
    """The formats of one workbook, made once each."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self._cache: dict[tuple[Any, ...], Format] = {}
        self.listings: list[Listing] = []

    def list_rows(
        self,
        sheet: Worksheet,
        first: int,
        rows: Sequence[Sequence[object]],
        text: Format,
        number: Format,
    ) -> None:
        """The rows of a long listing from row `first` (0-based) on, written once the workbook
        is closed, in far less time than cell by cell (outputs.listing)."""
        if rows:
            self.listings.append(listing(sheet, first, rows, text, number))

    def get(self, **props: Any) -> Format:
        key = tuple(sorted(props.items()))
        if key not in self._cache:
            self._cache[key] = self.workbook.add_format(props)
        return self._cache[key]

    def title(self) -> Format:
        return self.get(
            font_name=TEXT_FONT, font_size=TITLE_SIZE, bold=True, align="center", valign="vcenter"
        )

    def plain(self, align: str = "left", size: int = SIZE, wrap: bool = False) -> Format:
        return self.get(
            font_name=TEXT_FONT, font_size=size, align=align, valign="vcenter", text_wrap=wrap
        )

    def note(self) -> Format:
        """Notes and the source line: wrapped across the table, read from the top."""
        return self.get(
            font_name=TEXT_FONT, font_size=9, align="left", valign="top", text_wrap=True
        )

    def header(self, *, top: int = 0, bottom: int = 0) -> Format:
        return self.get(
            font_name=TEXT_FONT,
            font_size=SIZE,
            bold=True,
            align="center",
            valign="vcenter",
            text_wrap=True,
            top=top,
            bottom=bottom,
        )

    def cell(self, kind: str, *, bold: bool = False, indent: int = 0, bottom: int = 0) -> Format:
        """A body cell: text left (indented for hierarchy), figures right in their format."""
        props: dict[str, Any] = {"font_size": SIZE, "valign": "vcenter", "bottom": bottom}
        if bold:
            props["bold"] = True
        if kind in FIGURES:
            props.update(font_name=FIGURE_FONT, align="right", num_format=NUMBER_FORMATS[kind])
        else:
            props.update(font_name=TEXT_FONT, align="left", indent=indent)
        return self.get(**props)

    def symbol(self, *, bold: bool = False, bottom: int = 0) -> Format:
        """A symbol where a figure would be (× suppressed, — not computable): right-aligned."""
        props: dict[str, Any] = {
            "font_name": FIGURE_FONT,
            "font_size": SIZE,
            "align": "right",
            "valign": "vcenter",
            "bottom": bottom,
        }
        if bold:
            props["bold"] = True
        return self.get(**props)


def _markup(text: str) -> bool:
    # XlsxWriter (constant memory) writes text so shaped as rich-text XML, unescaped: a cell as
    # read ("<r>A & B</r>") would corrupt the workbook or add markup of its own.
    return text.startswith("<r>") and text.endswith("</r>")


def write_text(sheet: Worksheet, row: int, col: int, text: str, fmt: Format) -> None:
    """Text as read, in one cell: control characters removed, never taken for markup (text
    shaped like it goes in as a rich string of two runs in the cell's font, which XlsxWriter
    escapes)."""
    text = printable(text)
    if _markup(text):
        sheet.write_rich_string(row, col, fmt, text[:1], fmt, text[1:], fmt)
    else:
        sheet.write_string(row, col, text, fmt)


def merge_text(sheet: Worksheet, row: int, first: int, last: int, text: str, fmt: Format) -> None:
    """Text as read across the cells `first`..`last` of a row (as write_text)."""
    text = printable(text)
    markup = _markup(text)
    sheet.merge_range(row, first, row, last, "" if markup else text, fmt)
    if markup:  # XlsxWriter's way of a rich string in a merged range: written over it
        write_text(sheet, row, first, text, fmt)


def lines_needed(text: str, width: float) -> int:
    """How many lines a wrapped text takes in a cell `width` characters wide."""
    return sum(max(1, math.ceil(text_width(line) / max(width - 2, 1))) for line in text.split("\n"))


def write_table(sheet: Worksheet, styles: Styles, table: Table, first_row: int = 0) -> Placed:
    """Write `table` from `first_row` down, with its column widths; return where it went."""
    last = len(table.columns) - 1
    breaks = page_breaks(table)
    # Title, period line and notes span what prints on the first page.
    span = (breaks[0] - 1) if breaks else last
    width = sum(c.width for c in table.columns[: span + 1])
    for index, column in enumerate(table.columns):
        sheet.set_column(index, index, column.width)
    row = first_row
    sheet.set_row(row, 24)
    sheet.merge_range(row, 0, row, span, table.title, styles.title())
    row += 1
    split = max(1, span // 2)
    sheet.merge_range(row, 0, row, split, table.period, styles.plain("left"))
    sheet.merge_range(row, split + 1, row, span, table.unit, styles.plain("right"))
    row += 1
    header_first = row
    if table.groups:
        position = 0
        for text, columns in table.groups:
            fmt = styles.header(top=5)
            if columns == 1:
                write_text(sheet, row, position, text, fmt)
            else:
                end = position + columns - 1
                merge_text(sheet, row, position, end, text, fmt)
            position += columns
        row += 1
    header_height = max(lines_needed(c.header, c.width) for c in table.columns)
    sheet.set_row(row, ROW_HEIGHT * header_height)
    for index, column in enumerate(table.columns):
        top = 0 if table.groups else 5
        sheet.write_string(row, index, column.header, styles.header(top=top, bottom=1))
    header_last = row
    row += 1
    body_first = row
    for position, line in enumerate(table.rows):
        bottom = 5 if position == len(table.rows) - 1 else 0
        for index, (column, value) in enumerate(zip(table.columns, line.values, strict=True)):
            _write_cell(sheet, styles, row, index, column, value, line, bottom, table.name_column)
        row += 1
    body_last = row - 1
    texts = [*table.notes, *([table.source] if table.source else [])]
    for text in texts:
        # Notes are set at 9 points: a line holds about a fifth more than the column widths say.
        sheet.set_row(row, ROW_HEIGHT * lines_needed(text, width * 1.2))
        merge_text(sheet, row, 0, span, text, styles.note())
        row += 1
    return Placed(header_first, header_last, body_first, body_last, row - 1, last, breaks)


def _write_cell(
    sheet: Worksheet,
    styles: Styles,
    row: int,
    index: int,
    column: Column,
    value: object,
    line: Row,
    bottom: int,
    name_column: int,
) -> None:
    indent = line.indent if index == name_column else 0
    if value is None or value == "":
        sheet.write_blank(row, index, None, styles.cell(column.kind, bold=line.bold, bottom=bottom))
    elif column.kind in FIGURES and isinstance(value, str):
        sheet.write_string(row, index, value, styles.symbol(bold=line.bold, bottom=bottom))
    elif column.kind in FIGURES and isinstance(value, int | float):
        fmt = styles.cell(column.kind, bold=line.bold, bottom=bottom)
        sheet.write_number(row, index, value, fmt)
    else:
        fmt = styles.cell(column.kind, bold=line.bold, indent=indent, bottom=bottom)
        write_text(sheet, row, index, str(value), fmt)


def setup_print(
    sheet: Worksheet,
    placed: Placed,
    width: float,
    *,
    repeat_columns: int = 0,
    extra_rows: int = 0,
) -> None:
    """A4, one page wide when the table can be (landscape if it needs it), else across pages with
    its first `repeat_columns` columns repeated; title and header repeated on every page."""
    sheet.set_paper(9)
    if width > PORTRAIT_WIDTH:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    if placed.breaks:
        sheet.repeat_columns(0, repeat_columns - 1)
        sheet.set_v_pagebreaks(list(placed.breaks))
        sheet.set_print_scale(WIDE_SCALE)
    else:
        sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, placed.header_last)
    sheet.set_margins(left=0.6, right=0.6, top=0.7, bottom=0.8)
    sheet.set_footer(FOOTER, {"margin": 0.3})
    sheet.center_horizontally()
    sheet.print_area(0, 0, placed.end + extra_rows, placed.last_column)
    sheet.hide_gridlines(2)


class Ranked(Protocol):
    """A row of a category table: its level, code and parent (from the catalogue)."""

    @property
    def level(self) -> str: ...

    @property
    def code(self) -> str: ...

    @property
    def parent(self) -> str | None: ...


R = TypeVar("R", bound=Ranked)


def in_print_order(items: Sequence[R], level: str) -> list[tuple[R, bool, int]]:
    """(item, bold, indent) for the table of `level`: the total first, then each major, and at the
    finer levels each parent in bold above its indented children (parents by the catalogue's
    links, never by code prefixes: 20500 sits under 204)."""
    by_level: dict[str, list[R]] = {}
    for item in items:
        by_level.setdefault(item.level, []).append(item)
    rows: list[tuple[R, bool, int]] = [(t, True, 0) for t in by_level.get("total", [])]
    for major in by_level.get("major", []):
        if level == "major":
            rows.append((major, False, 0))
            continue
        rows.append((major, True, 0))
        for medium in (m for m in by_level.get("medium", []) if m.parent == major.code):
            if level == "medium":
                rows.append((medium, False, 1))
                continue
            rows.append((medium, True, 1))
            rows += [(m, False, 2) for m in by_level.get("minor", []) if m.parent == medium.code]
    return rows


def table_width(columns: Sequence[Column]) -> float:
    return sum(c.width for c in columns)
