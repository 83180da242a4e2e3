"""Invariants: every level sums to the total; SQL and Python apply the same rules."""

from __future__ import annotations

import csv
import re
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from digicons.errors import UsageError
from digicons.inputs.normalise import period as period_of
from digicons.measure import MeasureOptions, measure
from digicons.measure.creditcode import (
    CHARSET,
    check_character,
    check_matrix,
    code_matrix,
    is_valid,
    valid_array,
)
from digicons.period import parse_period
from digicons.sample import CLASSES
from digicons.scope.catalogue import load_catalogue

row = st.tuples(
    st.sampled_from([*CLASSES, "ABCD", "", "I6422", "A6422"]),
    st.one_of(st.integers(-1000, 10**9).map(str), st.sampled_from(["", "x", "1,234.5"])),
    st.one_of(st.none(), st.integers(0, 10**9).map(str)),
    st.integers(0, 40),  # credit codes drawn from a small pool, so duplicates happen
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=60))
def test_every_level_sums_to_the_total(rows: list[tuple[str, str, str | None, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "q.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["统一社会信用代码", "单位名称", "行业代码", "营业收入", "营业收入上年同期"]
            )
            for code, revenue, prior, firm in rows:
                writer.writerow([f"F{firm}", "x", code, revenue, prior or ""])
            # One row that always counts: a run in which none counts fails by design.
            writer.writerow(["VALID", "x", "5292", "1", ""])
        result = measure(MeasureOptions([path], period="2024Q3"))
    catalogue = load_catalogue()
    cells = {c.code: c for c in result.cells if c.level != "total"}
    total = result.total
    for parent_level in ("total", "major", "medium"):
        parents = [total] if parent_level == "total" else result.level(parent_level)
        for parent in parents:
            children = (
                result.level("major")
                if parent_level == "total"
                else [cells[c.code] for c in catalogue.children(parent.code)]
            )
            assert sum(c.revenue for c in children) == parent.revenue
            assert sum(c.enterprises for c in children) == parent.enterprises
            priors = [c.revenue_prior for c in children if c.revenue_prior is not None]
            assert (sum(priors, Decimal(0)) if priors else None) == parent.revenue_prior
    rec = result.reconciliation
    assert rec.rows_read == len(rows) + 1
    assert rec.rows["digital"] == total.enterprises and rec.revenue["digital"] == total.revenue
    parseable = Decimal(1)  # the row that always counts
    for _, revenue, _, _ in rows:
        text = revenue.replace(",", "")
        if text and text.lstrip("-").replace(".", "").isdigit():
            parseable += Decimal(text)
    assert rec.revenue_read == parseable


codes = st.one_of(
    st.none(),
    st.text(alphabet=CHARSET + "IOZSV", min_size=18, max_size=18),
    st.builds(
        lambda body: body + check_character(body),
        st.text(alphabet=CHARSET, min_size=17, max_size=17),
    ),
    st.text(max_size=20),
)


@given(st.lists(codes, max_size=30))
def test_vectorised_credit_code_check_agrees_with_python(values: list[str | None]) -> None:
    got = valid_array(pa.array(values, pa.string())).to_pylist()
    assert got == [v is not None and is_valid(v) for v in values]


@given(st.lists(codes, max_size=30))
def test_plain_codes_are_those_of_digits_and_capital_letters(values: list[str | None]) -> None:
    rows, matrix = code_matrix(pa.array(values, pa.string()))
    plain, _ = check_matrix(matrix)
    eighteen = [v for v in values if v is not None and len(v.encode()) == 18]
    assert len(rows) == len(eighteen)
    assert plain.tolist() == [
        all(c.isascii() and (c.isdigit() or c.isupper()) for c in v) for v in eighteen
    ]


code_bytes = st.one_of(
    st.binary(min_size=18, max_size=18),
    st.text(alphabet=CHARSET + "IOSVZa\xe9 ", min_size=18, max_size=18),
    # Right check characters, whatever the first character (only 0–9, A, N, Y may start a code).
    st.builds(
        lambda body: body + check_character(body),
        st.text(alphabet=CHARSET, min_size=17, max_size=17),
    ),
).map(lambda code: code if isinstance(code, bytes) else code.encode("latin-1"))


@given(st.lists(code_bytes, min_size=1, max_size=40))
def test_check_matrix_agrees_with_python_on_any_bytes(rows: list[bytes]) -> None:
    matrix = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), 18)
    plain, valid = check_matrix(matrix)
    upper = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert plain.tolist() == [all(b in upper for b in row) for row in rows]
    assert valid.tolist() == [is_valid(row.decode("latin-1")) for row in rows]


def test_known_credit_codes() -> None:
    cases = {
        "91110000600037341L": True,
        "91110000600037341M": False,
        "911100006000373": False,
        "I1110000600037341L": False,
        None: False,
    }
    assert valid_array(pa.array(list(cases))).to_pylist() == list(cases.values())
    assert [is_valid(c) for c in cases if c is not None] == [True, False, False, False]


@given(
    st.integers(1990, 2100),
    st.integers(1, 4),
    st.sampled_from(
        ["{y}Q{q}", "{y}-Q{q}", "{y}q{q}", "{y}年{q}季度", "{y}年1-{q}季度", "{y}{m:02d}"]
    ),
)
def test_period_forms(year: int, quarter: int, form: str) -> None:
    text = form.format(y=year, q=quarter, m=quarter * 3)
    assert parse_period(text).key == f"{year}Q{quarter}"
    found = period_of(f" {text}\u3000")  # as the pipeline reads a cell: spaces of any width
    assert found is not None and found.key == f"{year}Q{quarter}"


@given(st.text(max_size=8))
def test_any_period_text_is_a_quarter_or_none(text: str) -> None:
    try:
        key: str | None = parse_period(text).key
    except UsageError:
        key = None
    found = period_of(text)
    assert (found.key if found else None) == key


def _amount_reference(text: str) -> Decimal | None:
    """The amount rule written plainly: full-width forms to ASCII, spaces of every width,
    invisible characters, a leading currency sign and thousands separators dropped, then an
    exact decimal (4 places, as DECIMAL(18, 4))."""
    ascii_text = text.translate(
        str.maketrans("０１２３４５６７８９．－＋，−￥（）", "0123456789.-+,-¥()")
    )
    invisible = "\xa0\u3000\u200b\u200c\u200d\u2060\ufeff"
    spaced = "".join(c for c in ascii_text if not (c.isspace() or c in invisible))
    # A number in brackets is negative, as number formats with negatives in brackets show it.
    if bracketed := re.fullmatch(r"\((.*)\)", spaced):
        spaced = "-" + bracketed.group(1)
    # A currency sign may lead the number, after its sign; anywhere else it makes no number.
    if signed := re.fullmatch(r"([+-]?)¥(.*)", spaced):
        spaced = signed.group(1) + signed.group(2)
    if "¥" in spaced:
        return None
    # A comma separates thousands only: 1234,5 (a decimal comma) or 12,34 is not a number.
    if "," in spaced and not re.fullmatch(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?", spaced):
        return None
    kept = spaced.replace(",", "")
    try:
        value = Decimal(kept)
    except ArithmeticError:
        return None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 14:
        return None
    # A cast to DECIMAL(18, 4) rounds half away from zero (Decimal's default is half-even).
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


amount_texts = st.one_of(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2).map(
        lambda d: f"{d:,}" if d.is_finite() else "x"
    ),
    st.decimals(min_value=0, max_value=10**6, places=1).map(lambda d: f" {d} "),
    st.decimals(min_value=0, max_value=10**6, places=0).map(
        lambda d: str(d).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    ),
    st.text(alphabet="0123456789,. \u3000-\u200b\ufeff¥￥()（）", max_size=12),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(amount_texts, min_size=1, max_size=20))
@example([".00005", "-0.00005", "1.00015"])  # a fifth decimal of 5: rounded away from zero
@example(["1,5", "1234,5", "1 234,5", "12,34,567", "1,234,567.5", "-1,234", "１，２３４", ",123"])
@example(["¥1,234.50", "￥12", " ¥ 5 ", "-¥3", "12¥"])  # a currency format exported as text
@example(["(1,234.50)", "（12）", "( 5 )", "(-3)", "(¥7)", "((1))", "()", "(1", "1)"])
def test_sql_amount_rule_is_the_plain_rule(texts: list[str]) -> None:
    """The SQL macro's fast tiers (plain cast, then thousands separators) never change a result."""
    import duckdb

    from digicons.resources import sql as packaged_sql

    with duckdb.connect() as con:
        con.execute(packaged_sql("macros"))
        got = [
            row[0]
            for row in con.execute(
                "SELECT amount(t) FROM unnest($texts) WITH ORDINALITY AS u(t, i) ORDER BY i",
                {"texts": texts},
            ).fetchall()
        ]
    assert got == [_amount_reference(t) for t in texts]


blank_texts = st.one_of(
    st.none(),
    # Spaces of every width, their UTF-8 neighbours (U+00A1, U+3001 share a leading byte with
    # U+00A0, U+3000), control characters below '!', and ordinary text.
    st.text(alphabet=" \t\n\r\f\v\x00\x01\x1f!\xa0\xa1\u3000\u3001\u2003北京a0", max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(blank_texts, min_size=1, max_size=30))
def test_sql_blank_prefilter_never_changes_the_answer(texts: list[str | None]) -> None:
    """blank()'s cheap look at the first character agrees with the regular expression alone."""
    import duckdb

    from digicons.resources import sql as packaged_sql

    with duckdb.connect() as con:
        con.execute(packaged_sql("macros"))
        rows = con.execute(
            "SELECT blank(t), t IS NULL OR regexp_full_match(t, '[\\s\\x{a0}\\x{3000}]*')"
            " FROM unnest($texts::VARCHAR[]) WITH ORDINALITY AS u(t, i) ORDER BY i",
            {"texts": texts},
        ).fetchall()
    assert [fast for fast, _ in rows] == [plain for _, plain in rows]
    # The regular expression itself: ASCII spaces, no-break and ideographic spaces only.
    spaces = set(" \t\n\r\f\xa0\u3000")
    assert [plain for _, plain in rows] == [t is None or set(t) <= spaces for t in texts]


record_kinds = st.lists(
    st.sampled_from(["ok", "ok", "ok", "blank", "commas", "multiline", "fields"]),
    min_size=1,
    max_size=40,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    record_kinds,
    st.sampled_from([200, 1 << 24]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    st.booleans(),
)
# Only a blank line below the header: was "cannot be accounted for".
@example(["blank"], 1 << 24, "\n", "utf-8", True)
# A "\r\n" inside a quoted value on the boundary of two blocks: pyarrow drops its "\n".
@example(["ok", "ok", "ok", "multiline", "multiline"], 200, "\r\n", "utf-8", False)
def test_every_csv_record_is_numbered_by_the_line_it_starts_on(
    kinds: list[str], block: int, newline: str, encoding: str, last_break: bool
) -> None:
    """Each record's name is the line it starts on; staging must give it that row number, in
    one batch or many (small blocks, gathered into row groups of a few), with blank lines, records
    across lines and records of the wrong width anywhere, whatever the line endings and encoding,
    with or without a last break."""
    from unittest import mock

    import duckdb

    from digicons.inputs import csvfile
    from digicons.inputs.sources import SourceOptions, register_all
    from digicons.measure.rules import read_reasons
    from digicons.resources import sql as packaged_sql

    lines = ["单位详细名称,统一社会信用代码,行业代码,营业收入"]
    expected: dict[int, str | None] = {}  # first line → the reason it is rejected for
    blanks = 0
    for kind in kinds:
        line = len(lines) + 1
        if kind in ("blank", "commas"):
            lines.append("" if kind == "blank" else ",,,")
            blanks += 1
        elif kind == "multiline":
            lines.extend([f'"n{line}', 'x",91110105MA0000001X,5292,1'])  # joined by `newline`
            expected[line] = "record_multiline"
        elif kind == "fields":
            lines.append(f"n{line},91110105MA0000001X,5292,1,extra")
            expected[line] = "record_field_count"
        else:
            lines.append(f"n{line},91110105MA0000001X,5292,1")
            expected[line] = None
    text = newline.join(lines) + (newline if last_break else "")
    if not last_break and lines[-1] == "":  # an empty last line without its break is no line
        lines.pop()
        blanks -= 1
    reasons = read_reasons()
    with (
        tempfile.TemporaryDirectory() as folder,
        mock.patch.object(csvfile, "_BLOCK", block),
        mock.patch.object(csvfile, "_PARSE_BLOCK", block),
        # Row groups of the staged copy gathered from a few blocks each, or from one.
        mock.patch.object(csvfile, "_ROW_GROUP", 3 if block < 1000 else 1 << 18),
    ):
        path = Path(folder) / "q.csv"
        path.write_bytes(text.encode(encoding))
        with duckdb.connect() as con:
            con.execute(packaged_sql("macros"))
            (found,) = register_all(
                con, "input", [path], SourceOptions(reasons=reasons), Path(folder)
            )
            got = con.execute(
                "SELECT row_no, name_raw, read_reason FROM input_rows ORDER BY row_no"
            ).fetchall()
    by_id = {v: k for k, v in reasons.items()}
    assert {row: by_id.get(reason) for row, _, reason in got} == expected
    # The text before the first line break (pyarrow may leave a "\r\n" as "\r", see above).
    assert all(re.split("\r\n|\r|\n", name)[0] == f"n{row}" for row, name, _ in got)
    stats = found.stats
    assert stats.data_lines == len(lines) - 1
    assert (stats.records, stats.blank_lines) == (len(expected), blanks)
    assert stats.records + stats.blank_lines + stats.swallowed_lines == stats.data_lines
