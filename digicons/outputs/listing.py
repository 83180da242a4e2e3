"""Long listings of a workbook (数据质量's rejected and flagged rows, a classified copy) as
worksheet XML.

XlsxWriter spends about 4.5 µs on a cell (its per-cell checks, a tuple per cell, XML escaping
call by call): 1.35 s for the 21,000 listed rows × 15 cells of a 10M-row run, a quarter of the
whole `measure`, and 17 s for a classified copy of 200,000 rows. A listing's cells are of three
plain kinds only (text, numbers, blanks, in one text and one number format), so XlsxWriter writes
the sheet and its header, and the rows are written here, in its XML as XlsxWriter writes it
(inline strings, as in its constant-memory mode), into the sheet's part of the finished file.

The text rules are XlsxWriter's: control characters as _xHHHH_ (printable() has removed all but
carriage return), a literal _xHHHH_ kept literal, leading or trailing space preserved, text cut
at 32,767 UTF-16 units (Excel's limit); numbers as it writes them (16 significant digits).
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from digicons.errors import InternalError
from digicons.inputs.normalise import printable

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORK = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff&<>]|_x[0-9a-fA-F]{4}_")
_ESCAPE_OF_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_DIMENSION = re.compile(r'<dimension ref="([A-Z]+[0-9]+):([A-Z]+)[0-9]+"/>')
_MAX_UTF16 = 32767
_PRESERVE = ' xml:space="preserve"'
_CHUNK = 2000  # rows joined before each write to the compressed stream


def _text(value: str) -> str:
    """Character data of a cell's text as XlsxWriter writes it (the text printable() keeps)."""
    # One search tells whether text needs any work (most needs none): a control character, a
    # markup character, a carriage return or a literal escape.
    work = _WORK.search(value) is not None
    if work:
        value = printable(value)
    if len(value) > _MAX_UTF16 // 2 and len(value.encode("utf-16-le")) > 2 * _MAX_UTF16:
        value = value.encode("utf-16-le")[: 2 * _MAX_UTF16].decode("utf-16-le", "ignore")
    if work:
        value = _ESCAPE_OF_ESCAPE.sub(r"_x005F\1", value)
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        value = value.replace("\r", "_x000D_")
    return value


@dataclass(frozen=True)
class Listing:
    """Rows of a sheet to add after XlsxWriter has closed the workbook (made by `listing`).

    `first` is the 0-based number of the first row; `styles` XlsxWriter's indexes of the format
    of text (and blanks) and of numbers."""

    sheet: str
    first: int
    rows: Sequence[Sequence[object]]
    styles: tuple[int, int]

    def _chunks(self) -> Iterator[str]:
        """The rows' XML, _CHUNK rows at a time, built column by column (`_column`)."""
        numbers = range(self.first + 1, self.first + 1 + len(self.rows))
        text_style, number_style = (f' s="{i}"' for i in self.styles)
        columns = [
            _column(xl_col_to_name(c), numbers, values, text_style, number_style)
            for c, values in enumerate(zip(*self.rows, strict=True))
        ]
        cells = zip(*columns, strict=True)
        for start in range(0, len(numbers), _CHUNK):
            yield "".join(
                f'<row r="{number}">{"".join(row)}</row>'
                for number, row in zip(numbers[start : start + _CHUNK], cells, strict=False)
            )

    def add_to(self, path: Path) -> None:
        """Write the rows into the sheet of the finished workbook at `path`, replacing the file;
        the sheet's dimension grows to the last row."""
        last = self.first + len(self.rows)  # 1-based number of the last row
        spliced = path.with_name(path.name + ".listing")
        try:
            with (
                zipfile.ZipFile(path) as source,
                zipfile.ZipFile(spliced, "w", zipfile.ZIP_DEFLATED) as target,
            ):
                part = _sheet_part(source, self.sheet)
                for info in source.infolist():
                    data = source.read(info)
                    if info.filename != part:
                        target.writestr(info, data)
                        continue
                    xml = data.decode("utf-8")
                    end = xml.index("</sheetData>")
                    head = _DIMENSION.sub(rf'<dimension ref="\g<1>:\g<2>{last}"/>', xml[:end], 1)
                    with target.open(info.filename, "w") as out:
                        out.write(head.encode("utf-8"))
                        for chunk in self._chunks():
                            out.write(chunk.encode("utf-8"))
                        out.write(xml[end:].encode("utf-8"))
            os.replace(spliced, path)
        finally:
            spliced.unlink(missing_ok=True)


def _column(
    name: str, numbers: range, values: tuple[object, ...], text_style: str, number_style: str
) -> list[str]:
    """The cells of one column: a column of plain text (most of them) needs one search for work
    over all its cells, and one comprehension makes them."""
    if values and all(type(v) is str for v in values):
        texts: tuple[str, ...] = values  # type: ignore[assignment]
        # "\n" is no character _WORK looks for, and cannot be part of an escape it looks for.
        if _WORK.search("\n".join(texts)) is None and max(map(len, texts)) <= _MAX_UTF16 // 2:
            return [
                f'<c r="{name}{n}"{text_style}/>'
                if not v
                else f'<c r="{name}{n}"{text_style} t="inlineStr"><is><t>{v}</t></is></c>'
                if not v[0].isspace() and not v[-1].isspace()
                else _cell(f"{name}{n}", v, text_style, number_style)
                for n, v in zip(numbers, texts, strict=True)
            ]
    elif values and all(type(v) is int for v in values):
        return [
            f'<c r="{name}{n}"{number_style}><v>{v:.16G}</v></c>'
            for n, v in zip(numbers, values, strict=True)
        ]
    return [
        _cell(f"{name}{n}", v, text_style, number_style)
        for n, v in zip(numbers, values, strict=True)
    ]


def _cell(ref: str, value: object, text_style: str, number_style: str) -> str:
    """One cell, whatever its value (the rule the short cut of `_column` follows)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{ref}"{number_style}><v>{value:.16G}</v></c>'
    text = "" if value is None else _text(str(value))
    if not text:
        return f'<c r="{ref}"{text_style}/>'
    space = _PRESERVE if text[0].isspace() or text[-1].isspace() else ""
    return f'<c r="{ref}"{text_style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def listing(
    sheet: Worksheet, first: int, rows: Sequence[Sequence[object]], text: Format, number: Format
) -> Listing:
    """The rows of `sheet` from row `first` on (0-based), in `text` or `number` format, to add to
    the file once XlsxWriter has written it (`Listing.add_to`). Made while the workbook is open:
    XlsxWriter gives the formats their indexes (its own call for a cell's format; there is no
    public one), and writes them to the workbook's styles on closing. Rows are of one length
    (a table's rows, padded)."""
    if len({len(row) for row in rows}) > 1:
        raise InternalError(f"rows of different lengths listed in {sheet.name}")
    return Listing(sheet.name, first, rows, (text._get_xf_index(), number._get_xf_index()))


def _sheet_part(book: zipfile.ZipFile, name: str) -> str:
    """The member of the workbook `book` holding the worksheet called `name`."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_RELS}Relationship")}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        if sheet.get("name") == name:
            target = targets.get(sheet.get(_REL))
            if target:
                return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise InternalError(f"no sheet {name} in {book.filename}")
