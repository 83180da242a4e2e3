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
    # A table too wide for one page prints across pages, its first `repeat` columns on each;
    # pages break between groups, and each has its own title, 计量单位 and notes.
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
    """For a table wider than a landscape page: the columns where pages break, between groups.
    As few pages as the room allows, as even as can be: a last page of one group would print
    its title and notes in a narrow strip."""
    width = table_width(table.columns)
    if not table.repeat or width <= LANDSCAPE_WIDTH * 1.6:
        return ()
    room = LANDSCAPE_WIDTH * 100 / WIDE_SCALE - _span(table, 0, table.repeat - 1)
    starts: list[int] = []
    widths: list[float] = []
    start = 0
    for _, span in table.groups:
        if start >= table.repeat:
            starts.append(start)
            widths.append(_span(table, start, start + span - 1))
        start += span
    return tuple(starts[first] for first in _even_pages(widths, room)[1:])


def _even_pages(widths: Sequence[float], room: float) -> list[int]:
    """Where pages start (indexes into `widths`): the fewest pages of at most `room` each (an item
    wider than that alone), split so that the pages' widths have the least sum of squares."""
    fewest, used = 1, 0.0
    for width in widths:
        if used and used + width > room:
            fewest, used = fewest + 1, 0.0
        used += width
    count = len(widths)
    # cost[k][j]: the least sum of squares of the first j items on k pages; back[k][j]: the first
    # item of the k-th page. Later pages are tried short first, so ties leave the wide pages first.
    cost = [[math.inf] * (count + 1) for _ in range(fewest + 1)]
    back = [[0] * (count + 1) for _ in range(fewest + 1)]
    cost[0][0] = 0.0
    for pages in range(1, fewest + 1):
        for end in range(1, count + 1):
            page = 0.0
            for first in range(end - 1, -1, -1):
                page += widths[first]
                if page > room and first < end - 1:
                    break
                candidate = cost[pages - 1][first] + page * page
                if candidate < cost[pages][end]:
                    cost[pages][end] = candidate
                    back[pages][end] = first
    firsts: list[int] = []
    end = count
    for pages in range(fewest, 0, -1):
        end = back[pages][end]
        firsts.append(end)
    return firsts[::-1]


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

    def title(self, wrap: bool = False) -> Format:
        return self.plain("center", TITLE_SIZE, wrap, bold=True)

    def plain(
        self,
        align: str = "left",
        size: int = SIZE,
        wrap: bool = False,
        *,
        bold: bool = False,
        top: int = 0,
        bottom: int = 0,
    ) -> Format:
        """Text in the text font, centred vertically; rules above and below as given."""
        return self.get(
            font_name=TEXT_FONT,
            font_size=size,
            bold=bold,
            align=align,
            valign="vcenter",
            text_wrap=wrap,
            top=top,
            bottom=bottom,
        )

    def note(self, align: str = "left") -> Format:
        """Notes and the source line: wrapped across the table, read from the top."""
        return self.get(font_name=TEXT_FONT, font_size=9, align=align, valign="top", text_wrap=True)

    def header(self, *, top: int = 0, bottom: int = 0) -> Format:
        return self.plain("center", SIZE, True, bold=True, top=top, bottom=bottom)

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
    if first == last:  # XlsxWriter merges no single cell
        write_text(sheet, row, first, text, fmt)
        return
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
    for index, column in enumerate(table.columns):
        sheet.set_column(index, index, column.width)
    row = first_row
    if breaks:
        pages = _pages(table, breaks)
        row = _wide_heading(sheet, styles, table, pages, row)
    else:
        pages = [(0, last)]
        sheet.set_row(row, 24)
        sheet.merge_range(row, 0, row, last, table.title, styles.title())
        row += 1
        split = max(1, last // 2)
        sheet.merge_range(row, 0, row, split, table.period, styles.plain("left"))
        sheet.merge_range(row, split + 1, row, last, table.unit, styles.plain("right"))
        row += 1
    header_first = row
    if table.groups:
        # A group's text wraps within its columns: the row is as tall as the longest needs.
        position = 0
        lines = 1
        for text, columns in table.groups:
            end = position + columns - 1
            merge_text(sheet, row, position, end, text, styles.header(top=5))
            lines = max(lines, lines_needed(text, _span(table, position, end)))
            position += columns
        sheet.set_row(row, ROW_HEIGHT * lines)
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
    row = _write_notes(sheet, styles, table, pages, row, wide=bool(breaks))
    return Placed(header_first, header_last, body_first, body_last, row - 1, last, breaks)


def _pages(table: Table, breaks: tuple[int, ...]) -> list[tuple[int, int]]:
    """The first and last column of each page a wide table prints on, beside the `repeat`
    columns every page repeats."""
    starts = [table.repeat, *breaks]
    ends = [*(start - 1 for start in breaks), len(table.columns) - 1]
    return list(zip(starts, ends, strict=True))


# A wide table prints its first `repeat` columns on every page, cells and all: text merged across
# their edge (or a page's) prints cut where the page ends. So every page gets its own title and
# 计量单位 over its own columns, the 统计期 line is wrapped within the repeated columns, and the
# notes are set under each page's columns with their labels (注, 资料来源) in the repeated ones.


def _wide_heading(
    sheet: Worksheet, styles: Styles, table: Table, pages: list[tuple[int, int]], row: int
) -> int:
    """Title and 统计期 / 计量单位 rows of a wide table; returns the row after them."""
    repeated = _span(table, 0, table.repeat - 1)
    first_page = _span(table, 0, pages[0][1])
    # The first page's title is centred over the whole page when it clears the repeated columns
    # (else it would show cut on every later page), over its figure columns otherwise. Its width
    # is overestimated: the character cells a 10-point line takes, scaled to the title's size.
    scale = TITLE_SIZE / SIZE
    clear = (first_page - text_width(table.title) * scale) / 2 >= repeated
    titles = [(0 if clear else table.repeat, pages[0][1], table.title)]
    titles += [(first, last, f"{table.title}（续）") for first, last in pages[1:]]
    # A title wider than its page's figure columns wraps (each page repeats the one row).
    sheet.set_row(row, 24 * max(lines_needed(t, _span(table, a, b) / scale) for a, b, t in titles))
    for first, last, text in titles:
        merge_text(sheet, row, first, last, text, styles.title(wrap=True))
    row += 1
    sheet.set_row(row, ROW_HEIGHT * lines_needed(table.period, repeated))
    merge_text(sheet, row, 0, table.repeat - 1, table.period, styles.plain("left", wrap=True))
    for first, last in pages:
        merge_text(sheet, row, first, last, table.unit, styles.plain("right"))
    return row + 1


_NOTE_LABELS = ("注：", "资料来源：")


def _write_notes(
    sheet: Worksheet,
    styles: Styles,
    table: Table,
    pages: list[tuple[int, int]],
    row: int,
    *,
    wide: bool,
) -> int:
    """The notes and the 资料来源 line under the table; returns the row after them."""
    texts = [*table.notes, *([table.source] if table.source else [])]
    width = min(_span(table, first, last) for first, last in pages)
    shown = ""
    for text in texts:
        label = next((lab for lab in _NOTE_LABELS if wide and text.startswith(lab)), "")
        body = text[len(label) :]
        # Notes are set at 9 points: a line holds about a fifth more than the column widths say.
        sheet.set_row(row, ROW_HEIGHT * lines_needed(body, width * 1.2))
        if wide:  # 注 once, over the numbered notes below it
            merge_text(
                sheet,
                row,
                0,
                table.repeat - 1,
                "" if label == shown else label,
                styles.note("right"),
            )
            shown = label
        for first, last in pages:
            merge_text(sheet, row, first, last, body, styles.note())
        row += 1
    return row


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


def _span(table: Table, first: int, last: int) -> float:
    """The width of the table's columns `first`..`last`."""
    return table_width(table.columns[first : last + 1])
