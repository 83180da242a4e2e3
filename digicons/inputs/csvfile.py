"""CSV and text exports: their dialect, and staging them to Parquet with physical line numbers.

Bureau systems and spreadsheet programs write CSV in many shapes: UTF-8 with or without a BOM,
GB18030, UTF-16 (Excel's "Unicode text", tab-delimited); commas, tabs or semicolons; LF, CRLF or
CR-only line endings; title rows above the header; a header of two rows. `sniff` finds out which;
`stage` copies the columns digicons reads into Parquet, numbering every record with the physical
line it starts on. The staged file is scratch, read three times and deleted: it is written with
no compression, which costs a third of the default (1 s against 3 s for 10M records); with
dictionaries for the columns whose values repeat from row to row (industry code, region, period)
only, which DuckDB groups and joins once per value (the stages after staging 0.5 s faster on 10M
records); and with statistics, from which DuckDB knows what no row holds (no blank name, no
missing industry code) and skips those rules (the scan 0.25 s faster), except for the credit code
and the amounts: no rule is folded from theirs, and the least and greatest of 10M different texts
cost the writer 0.2-0.35 s of CPU on 10M records. (An Arrow file costs less still, but
DuckDB does not know how many rows it holds and builds its joins on the wrong side: three times
slower.)

Every physical data line is accounted for: a record is a line, a blank line (counted, not read),
part of a record that spans several lines (rejected, naming its first and last line), or a line
that does not parse (rejected, naming the line). The lines of the file, counted from its bytes,
must equal those lines; otherwise the file is read again, counting the line breaks inside every
record.
"""

from __future__ import annotations

import codecs
import csv
import io
import queue
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from digicons.errors import InputError, UsageError, first_line, is_disk_full, scratch_full
from digicons.inputs.files import TextTable
from digicons.inputs.headers import HEADER_SEARCH_ROWS, Header, locate_header, match_headers
from digicons.inputs.scan import ByteScan, ReadStats

ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "gb18030": "gb18030",
    "utf-16": "utf-16",
    "utf16": "utf-16",
}
DELIMITERS = (",", "\t", ";", "|")
_SNIFF_BYTES = 1 << 20
_BLOCK = 1 << 24
# The parser's block: with larger blocks it reads further ahead (16 MB blocks: 0.5 GB more at the
# peak on 10M records, and no faster).
_PARSE_BLOCK = 1 << 22
_ROW_GROUP = 1 << 18  # rows of a row group of the staged copy, at least
_UTF8_MAJORITY = 20  # valid UTF-8 characters for each byte that is not, to call a file UTF-8
_WIDTH_SAMPLE = 200  # records whose width tells a trailing delimiter
READ_COLUMNS = ("__row_no", "__read_reason", "__note")
# The columns whose values repeat from row to row: staged with dictionaries (module docstring).
REPEATING = ("industry_code", "region", "period")
# The columns staged without statistics (module docstring).
UNSTATED = ("credit_code", "revenue", "revenue_prior")


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written, and where its header is."""

    encoding: str  # utf-8, gb18030 or utf-16
    delimiter: str
    newline: str  # "\n" (LF or CRLF) or "\r" (CR only)
    header: Header
    title: tuple[str, ...] = ()  # the lines above the header
    # The number of lines below the header when all are empty (a district with no enterprises,
    # perhaps a blank line or two); None when something follows the header.
    empty_lines: int | None = None


def forced_encoding(name: str) -> str:
    key = name.lower().replace("_", "-")
    if key not in ENCODINGS:
        raise UsageError(
            f"未知的编码 '{name}'（unknown encoding）",
            hint="可用：utf-8、gbk（gb18030）、utf-16。",
        )
    return ENCODINGS[key]


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(_SNIFF_BYTES)


def detect_encoding(head: bytes, forced: str | None = None) -> str:
    """utf-8 (with or without BOM), utf-16 (by its BOM) or gb18030, from the first megabyte."""
    if forced is not None:
        return forced_encoding(forced)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Not final: the sample may end inside a multi-byte character.
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(head, final=False)
    bad = text.count("\ufffd")
    if not bad:
        return "utf-8"
    # GB18030 text is almost never valid UTF-8; UTF-8 with a few bytes that are not (a character
    # cut by a system that cuts fields by bytes) is UTF-8, and reading it names the line.
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return "utf-8" if good >= _UTF8_MAJORITY * bad else "gb18030"


def _head_text(head: bytes, encoding: str) -> str:
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    text = codecs.getincrementaldecoder(codec)(errors="replace").decode(head, final=False)
    return text.lstrip("\ufeff")


def sniff(
    path: Path, forced: str | None = None, overrides: dict[str, str] | None = None
) -> CsvDialect:
    """The encoding, delimiter, line ending and header of a CSV file."""
    head = _head(path)  # read once: the encoding, then the header, come from it
    encoding = detect_encoding(head, forced)
    text = _head_text(head, encoding)
    newline = "\n" if "\n" in text or "\r" not in text else "\r"
    lines = [line.rstrip("\r") for line in text.split(newline)[: HEADER_SEARCH_ROWS + 1]]
    preferred = ("\t", ",", ";", "|") if path.suffix.lower() in (".txt", ".tsv") else DELIMITERS
    best: tuple[int, str, Header] | None = None
    for delimiter in preferred:
        rows = [next(csv.reader([line], delimiter=delimiter), []) for line in lines]
        header = locate_header(rows, overrides)
        score = len(match_headers(header.names, overrides or {}))
        if best is None or score > best[0]:
            best = (score, delimiter, header)
        # Header cells wrapped by hand (Alt+Enter) are quoted fields with line breaks: the
        # header is one record over several lines. Read as records only when that finds more
        # columns: line by line, a stray quote in a title row cannot swallow the lines below.
        records, starts = _records(text, delimiter, HEADER_SEARCH_ROWS + 1)
        if starts[-1] > len(records):
            found = locate_header(records, overrides)
            score = len(match_headers(found.names, overrides or {}))
            if score > best[0]:
                first, after = starts[found.start], starts[found.data_start]
                best = (score, delimiter, Header(first, after - first, found.names))
    assert best is not None
    header = _trailing_delimiter(best[2], text, newline, best[1])
    return CsvDialect(
        encoding,
        best[1],
        newline,
        header,
        tuple(lines[: header.start]),
        _empty_lines(text, newline, header.data_start) if len(head) < _SNIFF_BYTES else None,
    )


def _records(text: str, delimiter: str, limit: int) -> tuple[list[list[str]], list[int]]:
    """The first `limit` records of `text` as a CSV reader takes them (a quoted field may hold
    line breaks), and the line each starts on (0-based), then the line after the last."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    starts = [0]
    try:
        for record in reader:
            records.append(record)
            starts.append(reader.line_num)
            if len(records) >= limit:
                break
    except csv.Error:  # the sample may end inside a quoted field
        pass
    return records, starts


def _trailing_delimiter(header: Header, text: str, newline: str, delimiter: str) -> Header:
    """The header as wide as the records: some systems end the header, or every record, with
    one delimiter more than the other (an empty last field). Decided by the most common width
    of the first records; a record of another width is still rejected."""
    # The piece after the last line break is left out: the sample may end inside a line.
    lines = text.split(newline)[:-1][header.data_start : header.data_start + _WIDTH_SAMPLE]
    rows = [next(csv.reader([line.rstrip("\r")], delimiter=delimiter), []) for line in lines]
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    widths = Counter(len(row) for row in rows)
    if not widths:
        return header
    common, width, names = widths.most_common(1)[0][0], len(header.names), header.names
    if common == width - 1 and names and not names[-1].strip():
        return Header(header.start, header.height, names[:-1])
    if common == width + 1 and all(not row[-1].strip() for row in rows if len(row) == common):
        return Header(header.start, header.height, [*names, ""])
    return header


def read_small_csv(path: Path, forced: str | None = None) -> TextTable:
    """A small CSV file (code table, shares, lists) read whole as text."""
    dialect = sniff(path, forced)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig" if dialect.encoding == "utf-8" else dialect.encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}：无法按 {dialect.encoding} 解码（第 {exc.start} 字节）"
            f"（cannot be decoded as {dialect.encoding}）",
            hint="请用 --encoding utf-8|gbk|utf-16 指定编码。",
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
    rows: list[list[str]] = []
    numbers: list[int] = []
    for row in reader:
        if reader.line_num > dialect.header.data_start and any(cell.strip() for cell in row):
            rows.append(row)
            numbers.append(reader.line_num)
    width = len(dialect.header.names)
    rows = [row[:width] + [""] * (width - len(row)) for row in rows]
    first = numbers[0] if numbers else dialect.header.data_start + 1
    return TextTable(path, dialect.header.names, rows, first, numbers)


def _utf8_copy(path: Path, target: Path) -> Path:
    """A UTF-8 copy of a UTF-16 file, written in chunks (pyarrow reads UTF-8 fastest)."""
    decoder = codecs.getincrementaldecoder("utf-16")()
    with path.open("rb") as source, target.open("wb") as out:
        while chunk := source.read(_BLOCK):
            out.write(decoder.decode(chunk).encode("utf-8"))
        out.write(decoder.decode(b"", final=True).encode("utf-8"))
    return target


@dataclass
class _Unparsed:
    """Records the parser could not take, by their ordinal (1 = the file's first record)."""

    ordinals: list[int] = field(default_factory=list)
    texts: dict[int, str] = field(default_factory=dict)
    lines: dict[int, int] = field(default_factory=dict)  # ordinal → the line it starts on

    def handler(self, row: Any) -> str:
        if row.number is None:  # only a multi-threaded reader leaves it out
            raise InputError("CSV 解析器未给出行号（the parser gave no record number）")
        self.ordinals.append(int(row.number))
        self.texts[int(row.number)] = str(row.text)
        return "skip"


def stage(
    path: Path,
    dialect: CsvDialect,
    columns: dict[str, int],
    target: Path,
    scratch: Path,
    scan: ByteScan,
    reasons: dict[str, int],
) -> ReadStats:
    """Copy the columns `columns` (logical key → position) of a CSV file to Parquet at `target`,
    with `__row_no` (the physical line a record starts on), `__read_reason` and `__note`.

    `scan` counts the line breaks of the file's bytes meanwhile; `reasons` are the ids of the
    rules `record_multiline` and `record_field_count`.
    """
    try:
        source = path
        if dialect.encoding == "utf-16":
            source = _utf8_copy(path, scratch / f"{target.stem}.utf8.csv")
            scan = ByteScan(source, dialect.newline.encode(), hash_too=False)
        stats = _stage(source, path, dialect, columns, target, reasons, careful=False)
        expected = scan.lines() - dialect.header.data_start
        if stats.data_lines != max(expected, 0):
            # Some record holds a line break inside a quoted field: count them, record by record.
            stats = _stage(source, path, dialect, columns, target, reasons, careful=True)
            if stats.data_lines != max(expected, 0) and dialect.newline == "\n":
                # pyarrow's parser drops the "\n" of a "\r\n" inside a quoted value when the
                # two fall on either side of a block boundary: the value keeps a lone "\r".
                # Count such a "\r" as the line break it was (only now: a lone "\r" can also be
                # text, in a file that reconciles without it).
                stats = _stage(
                    source, path, dialect, columns, target, reasons, careful=True, lone_cr=True
                )
            if stats.data_lines != max(expected, 0):
                raise InputError(
                    f"{path}：无法核对行数：文件有 {expected} 个数据行，读到 {stats.data_lines} 行"
                    "（the lines of the file cannot be accounted for）",
                    hint="请检查文件开头的标题行是否含有换行或引号。",
                )
        return stats
    except OSError as exc:
        if is_disk_full(exc):
            raise scratch_full(scratch.parent, exc) from exc
        raise InputError(f"{path}：无法读取（cannot be read: {first_line(exc)}）") from exc


def _stage(
    source: Path,
    path: Path,
    dialect: CsvDialect,
    columns: dict[str, int],
    target: Path,
    reasons: dict[str, int],
    *,
    careful: bool,
    lone_cr: bool = False,
) -> ReadStats:
    header = dialect.header
    width = len(header.names)
    names = [f"c{i}" for i in range(width)]
    wanted = sorted(columns.items(), key=lambda item: item[1])
    schema = pa.schema(
        [(key, pa.string()) for key, _ in wanted]
        + [("__row_no", pa.int64()), ("__read_reason", pa.int8()), ("__note", pa.string())]
    )
    stats = ReadStats()
    unparsed = _Unparsed()
    first_ordinal = header.data_start + 1  # records are numbered from 1, title rows included
    writer = _Sink(target, schema)
    try:
        if dialect.empty_lines is not None:
            stats.blank_lines = stats.data_lines = dialect.empty_lines
        else:
            state = _Walk(first_ordinal)
            try:
                # Inside: the reader decodes its first block on opening.
                reader = _reader(source, dialect, names, wanted, careful, unparsed)
                for batch in reader:
                    table = _batch(
                        batch, wanted, names, careful, dialect, unparsed, state, reasons, lone_cr
                    )
                    blank = _blank_rows(table, [k for k, _ in wanted])
                    blanks = int(pc.sum(blank).as_py() or 0)
                    stats.blank_lines += blanks
                    stats.records += table.num_rows - blanks
                    if blanks:  # a filter copies every value, even when it keeps them all
                        table = table.filter(pc.invert(blank))
                    writer.write_table(table.cast(schema))
            except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                start = state.ordinal + state.extra  # the first line not read yet
                raise _unreadable(path, source, dialect, exc, start) from exc
            tail = _unparsed_table(path, unparsed, state, dialect, wanted, reasons, stats)
            if tail.num_rows:
                writer.write_table(tail.cast(schema))
            stats.swallowed_lines = state.extra
            stats.data_lines = state.ordinal - first_ordinal + state.extra
    finally:
        writer.close()
    return stats


_QUOTE_HINT = (
    '请检查该行的引号（多为单位名称中的引号，如 "甲公司），改正后重新导出；'
    "Excel 另存为 CSV 时会给这样的内容加上引号。"
)


@contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Python's csv module refuses a field over 131,072 characters (its default limit): a record
    that swallowed many lines holds one. The limit is the module's own; it is put back."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _left_open(exc: csv.Error) -> bool:
    """Whether Python's csv module (strict) stopped at the end of its text inside a quote."""
    return "unexpected end of data" in str(exc)


def _record_fields(text: str, delimiter: str) -> tuple[list[str], bool]:
    """The fields of one record's text, and whether a quote in it is still open at its end."""
    with _field_limit(len(text)):
        try:
            return next(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True), []), False
        except csv.Error as exc:
            return next(csv.reader(io.StringIO(text), delimiter=delimiter), []), _left_open(exc)


def _open_quote_line(source: Path, dialect: CsvDialect, start: int) -> int | None:
    """The line of the first record from line `start` on whose quote two blocks of text do not
    close (the records before it were read, so it lies within them); None if none."""
    with source.open(encoding=_source_encoding(dialect), errors="replace", newline="") as handle:
        for _ in range(start - 1):
            if not handle.readline():
                return None
        text = handle.read(2 * _PARSE_BLOCK)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter, strict=True)
    with _field_limit(len(text)):
        while True:
            before = reader.line_num
            try:
                if next(reader, None) is None:
                    return None
            except csv.Error as exc:
                return start + before if _left_open(exc) else None


def _unreadable(
    path: Path, source: Path, dialect: CsvDialect, exc: Exception, start: int
) -> InputError:
    """The error of a file the parser gave up on, from line `start` on: a record longer than
    its block (pyarrow's "straddling object"), named by the line where a quote opens that two
    blocks of text do not close; the line of its first byte that is not of its encoding, when
    that is why (a character cut in two); else the parser's words."""
    if "straddling object" in str(exc):
        line = _open_quote_line(source, dialect, start) or start
        size = _PARSE_BLOCK // (1 << 20)
        return InputError(
            f"{path}：第{line}行起的一条记录超过 {size} MB 仍未结束，多半是这一行的引号没有闭合"
            f"（a record from line {line} runs on for more than {size} MB: an unclosed quote?）",
            hint=_QUOTE_HINT,
        )
    name = dialect.encoding.upper()
    # A UTF-16 file is read from a UTF-8 copy made by decoding it: its bytes decoded already.
    found = _undecodable(path, dialect.encoding, dialect.newline) if source == path else None
    if found is None:
        return InputError(
            f"{path}：无法按 CSV 读取（cannot be read as CSV: {first_line(exc)}）",
            hint="请检查编码（--encoding utf-8|gbk|utf-16）。",
        )
    line, offset = found
    return InputError(
        f"{path}：第 {line} 行含有不是 {name} 编码的字节（第 {offset:,} 字节起；"
        f"可能是被截断的汉字）（line {line} holds bytes that are not {name}）",
        hint="请修正该行后重新导出；整个文件是另一种编码时，用 --encoding utf-8|gbk|utf-16 指定。",
    )


def _undecodable(path: Path, encoding: str, newline: str) -> tuple[int, int] | None:
    """(line, byte offset from 1) of the first byte of `path` that `encoding` cannot decode."""
    decoder = codecs.getincrementaldecoder(encoding)()
    done = 0
    lines = 1
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            try:
                decoder.decode(block, final=False)
            except UnicodeDecodeError as exc:
                at = max(exc.start, 0)
                return lines + block[:at].count(newline.encode()), done + at + 1
            done += len(block)
            lines += block.count(newline.encode())
    return None


class _Sink:
    """A Parquet writer on a thread of its own: the parser reads the next blocks while the last
    ones are written (both release the GIL). Blocks are gathered into row groups of at least
    _ROW_GROUP rows (DuckDB reads a file of many small ones more slowly); at most two row groups
    wait. An error of the writer is raised in the reading thread, at its next write or at close.
    """

    def __init__(self, target: Path, schema: pa.Schema) -> None:
        # See the module's docstring.
        self._writer = pq.ParquetWriter(
            target,
            schema,
            compression="none",
            use_dictionary=[key for key in REPEATING if key in schema.names],
            write_statistics=[key for key in schema.names if key not in UNSTATED],
        )
        self._queue: queue.Queue[pa.Table | None] = queue.Queue(maxsize=2)
        self._gathered: list[pa.Table] = []
        self._gathered_rows = 0
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="stage writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # After an error, blocks are taken and dropped, so that the reader never waits forever.
        while (table := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._writer.write_table(table)
                except BaseException as exc:
                    self._error = exc

    def write_table(self, table: pa.Table) -> None:
        if self._error is not None:
            raise self._error
        self._gathered.append(table)
        self._gathered_rows += table.num_rows
        if self._gathered_rows >= _ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._gathered:
            self._queue.put(pa.concat_tables(self._gathered))  # chunks joined, not copied
            self._gathered, self._gathered_rows = [], 0

    def close(self) -> None:
        if self._error is None:
            self._flush()
        self._queue.put(None)
        self._thread.join()
        self._writer.close()
        if self._error is not None:
            raise self._error


def _empty_lines(text: str, newline: str, data_start: int) -> int | None:
    """`CsvDialect.empty_lines` of a whole file's `text`."""
    rest = text.split(newline)[data_start:]
    if any(line.strip("\r") for line in rest):
        return None
    # The text after the last line break is a line only when it is not empty.
    return len(rest) - (1 if rest and rest[-1] == "" else 0)


def _source_encoding(dialect: CsvDialect) -> str:
    """The encoding of the text the parser reads: GB18030 as it is, UTF-16 from its UTF-8 copy."""
    return "gb18030" if dialect.encoding == "gb18030" else "utf-8"


def _reader(
    source: Path,
    dialect: CsvDialect,
    names: list[str],
    wanted: list[tuple[str, int]],
    careful: bool,
    unparsed: _Unparsed,
) -> pa_csv.CSVStreamingReader:
    include = names if careful else [names[i] for _, i in wanted]
    return pa_csv.open_csv(
        source,
        read_options=pa_csv.ReadOptions(
            encoding=_source_encoding(dialect),
            skip_rows=dialect.header.data_start,
            column_names=names,
            block_size=_PARSE_BLOCK,
            # One thread: the parser then numbers every record it cannot take.
            use_threads=False,
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=dialect.delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=unparsed.handler,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            include_columns=include,
            strings_can_be_null=True,
            null_values=[""],
        ),
    )


@dataclass
class _Walk:
    """Where numbering stands: the next record's ordinal, line breaks inside records so far."""

    ordinal: int
    extra: int = 0
    placed: int = 0  # how many unparsed records have been given their place


def _batch(
    batch: pa.RecordBatch,
    wanted: list[tuple[str, int]],
    names: list[str],
    careful: bool,
    dialect: CsvDialect,
    unparsed: _Unparsed,
    state: _Walk,
    reasons: dict[str, int],
    lone_cr: bool = False,
) -> pa.Table:
    """One batch of parsed records with their line numbers (`lone_cr`: see `stage`)."""
    newline = dialect.newline
    n = batch.num_rows
    # Unparsed records inside this batch's range take ordinals between the parsed ones: every
    # one of them has been reported, since the parser reads a block before handing it over.
    pending = np.array(sorted(unparsed.ordinals[state.placed :]), dtype=np.int64)
    k = 0
    while k < len(pending) and pending[k] < state.ordinal + n + k:
        k += 1
    # The ordinals of this batch's parsed records: the range less the unparsed ones (a mask, not
    # np.setdiff1d, which sorts the whole range: 1.4 s over 10M records).
    keep = np.ones(n + k, dtype=bool)
    keep[pending[:k] - state.ordinal] = False
    ordinals = np.arange(state.ordinal, state.ordinal + n + k)[keep]
    extras = np.zeros(n, dtype=np.int64)
    if careful:
        for name in names:
            column = batch.column(name)
            counts = pc.count_substring(column, newline).fill_null(0)
            extras += np.asarray(counts, dtype=np.int64)
            if lone_cr:
                crs = pc.count_substring(column, "\r").fill_null(0)
                pairs = pc.count_substring(column, "\r\n").fill_null(0)
                extras += np.asarray(crs, dtype=np.int64) - np.asarray(pairs, dtype=np.int64)
    skipped_extras = np.array(
        [unparsed.texts[int(o)].count(newline) for o in pending[:k]], dtype=np.int64
    )
    # Line of a record = its ordinal + the line breaks inside every record before it.
    every = np.concatenate([ordinals, pending[:k]])
    order = np.argsort(every, kind="stable")
    breaks = np.concatenate([extras, skipped_extras])[order]
    before = np.cumsum(breaks) - breaks + state.extra
    lines_sorted = every[order] + before
    lines = np.empty_like(lines_sorted)
    lines[order] = lines_sorted
    state.ordinal += n + k
    state.extra += int(breaks.sum())
    state.placed += k
    row_no = lines[:n]
    spans = extras > 0
    arrays: dict[str, pa.Array] = {key: batch.column(names[i]) for key, i in wanted}
    arrays["__row_no"] = pa.array(row_no, pa.int64())
    arrays["__read_reason"] = pa.nulls(n, pa.int8())
    arrays["__note"] = pa.nulls(n, pa.string())
    table = pa.table(arrays)
    if spans.any():
        table = _mark_multiline(table, spans, row_no, extras, reasons["record_multiline"])
    # Keep the lines of the unparsed records for their own table at the end.
    for o, line in zip(pending[:k], lines[n:], strict=True):
        unparsed.lines[int(o)] = int(line)
    return table


def _mark_multiline(
    table: pa.Table, spans: np.ndarray, row_no: np.ndarray, extras: np.ndarray, reason_id: int
) -> pa.Table:
    """Records that parsed but span several lines are rejected, naming their lines."""
    reason = np.where(spans, reason_id, 0).astype(np.int8)
    notes = [
        f"第{int(a)}–{int(a + e)}行" if e else None for a, e in zip(row_no, extras, strict=True)
    ]
    table = table.set_column(
        table.schema.get_field_index("__read_reason"),
        "__read_reason",
        pa.array(reason, pa.int8(), mask=~spans),
    )
    return table.set_column(table.schema.get_field_index("__note"), "__note", pa.array(notes))


def _blank_rows(table: pa.Table, keys: list[str]) -> pa.Array:
    """Records that hold none of the columns digicons reads (an empty line, `,,,,`)."""
    blank = pa.array(np.ones(table.num_rows, dtype=bool))
    for key in keys:
        blank = pc.and_(blank, pc.is_null(table.column(key)))
    reasons = pc.is_null(table.column("__read_reason"))
    return pc.and_(blank, reasons)


def _unparsed_table(
    path: Path,
    unparsed: _Unparsed,
    state: _Walk,
    dialect: CsvDialect,
    wanted: list[tuple[str, int]],
    reasons: dict[str, int],
    stats: ReadStats,
) -> pa.Table:
    """The records the parser could not take, as rejected rows with their best-read values."""
    # Those after the last parsed record were never inside a batch: place them now.
    for o in sorted(unparsed.ordinals[state.placed :]):
        unparsed.lines[o] = o + state.extra
        state.extra += unparsed.texts[o].count(dialect.newline)
        state.ordinal = max(state.ordinal, o + 1)
    state.placed = len(unparsed.ordinals)
    rows: dict[str, list[Any]] = {key: [] for key, _ in wanted}
    rows.update({"__row_no": [], "__read_reason": [], "__note": []})
    width = len(dialect.header.names)
    for o in sorted(unparsed.ordinals):
        text = unparsed.texts[o]
        line = unparsed.lines[o]
        if not text.strip():  # a line of spaces: blank
            stats.blank_lines += 1
            continue
        fields, still_open = _record_fields(text, dialect.delimiter)
        breaks = text.count(dialect.newline)
        if still_open and breaks:
            # A quote opened in this record and never closed: the rest of the file is in it.
            raise InputError(
                f"{path}：第{line}行的引号没有闭合，文件其后的 {breaks:,} 行都成了这一条记录"
                f"（an unclosed quote on line {line} runs to the end of the file）",
                hint=_QUOTE_HINT,
            )
        for key, i in wanted:
            value = fields[i] if i < len(fields) else ""
            rows[key].append(value or None)
        rows["__row_no"].append(line)
        if breaks:
            rows["__read_reason"].append(reasons["record_multiline"])
            rows["__note"].append(f"第{line}–{line + breaks}行")
        else:
            rows["__read_reason"].append(reasons["record_field_count"])
            rows["__note"].append(f"第{line}行有 {len(fields)} 个字段，表头有 {width} 个")
        stats.records += 1
        stats.unparsed += 1
    return pa.table(
        {
            **{key: pa.array(rows[key], pa.string()) for key, _ in wanted},
            "__row_no": pa.array(rows["__row_no"], pa.int64()),
            "__read_reason": pa.array(rows["__read_reason"], pa.int8()),
            "__note": pa.array(rows["__note"], pa.string()),
        }
    )
