"""The workbook read back matches the JSON; CLI runs of `measure` and `sample`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from digicons.cli import app
from digicons.measure.creditcode import is_valid
from digicons.period import Period
from digicons.sample import CLASSES, SampleSpec, generate
from tests import fixtures

runner = CliRunner()


@pytest.fixture
def quarter(tmp_path: Path) -> Path:
    return fixtures.write_csv(tmp_path / "q.csv", "gb18030")


def run_measure(quarter: Path, *extra: str) -> tuple[Path, dict[str, object]]:
    out = quarter.parent
    result = runner.invoke(
        app,
        [
            "measure",
            str(quarter),
            "--period",
            "2024Q3",
            "-o",
            str(out / "t.xlsx"),
            "--json",
            str(out / "r.json"),
            "--rejects",
            str(out / "rej.csv"),
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return out / "t.xlsx", json.loads((out / "r.json").read_text(encoding="utf-8"))


FIGURES = (
    ("enterprises", 0),
    ("revenue", 2),
    ("revenue_comparable", 2),
    ("revenue_prior", 2),
    ("yoy_pct", 1),
    ("share_pct", 1),
    ("share_change_pp", 2),
    ("pull_pp", 2),
    ("contribution_pct", 1),
)


def test_workbook_matches_json(quarter: Path) -> None:
    workbook_path, document = run_measure(quarter)
    book = openpyxl.load_workbook(workbook_path)
    assert book.sheetnames == ["大类", "中类", "小类", "地区", "地区×中类", "说明", "数据质量"]
    rows = document["rows"]
    assert isinstance(rows, list)
    shown = {"大类": ("major",), "中类": ("major", "medium"), "小类": ("major", "medium", "minor")}
    for title, levels in shown.items():
        sheet = book[title]
        assert "2024年1-3季度" in str(sheet["A1"].value) and title in str(sheet["A1"].value)
        assert "万元" in " ".join(str(c.value) for c in sheet[2] if c.value)
        headers = [str(c.value).replace("\n", "") for c in sheet[3]]
        assert headers[:6] == [
            "代码",
            "名称",
            "企业数（家）",
            "营业收入",
            "同口径本期营业收入",
            "上年同期营业收入",
        ]
        expected = [r for r in rows if r["level"] == "total" or r["level"] in levels]
        printed = {
            (row[0].value or ""): [c.value for c in row]
            for row in sheet.iter_rows(min_row=4, max_row=3 + len(expected))
        }
        assert len(printed) == len(expected) == {"大类": 6, "中类": 28, "小类": 91}[title]
        for want in expected:
            have = printed[want["code"]]
            assert str(have[1]).rstrip("*") in (want["name"], "合计")
            assert str(have[1]).endswith("*") == want["partial"]
            for value, (key, places) in zip(have[2:], FIGURES, strict=True):
                assert value == (
                    "—" if want[key] is None else pytest.approx(round(want[key], places))
                ), (title, want["code"], key)
        notes = [str(c.value) for c in sheet["A"] if c.value]
        assert any(n.startswith("注：1. *") for n in notes)
        assert any(n.startswith("资料来源") for n in notes)


def test_quality_sheet_keeps_text_as_text(quarter: Path) -> None:
    workbook_path, _ = run_measure(quarter)
    sheet = openpyxl.load_workbook(workbook_path)["数据质量"]
    names = [c for c in sheet["I"] if c.value and str(c.value).startswith("=")]
    assert names == []  # the =HYPERLINK name is a kept, unflagged row: not listed
    reasons = [c.value for c in sheet["D"]][2:]
    assert sorted(r for r in reasons if r) == sorted(
        [
            "duplicate_credit_code",
            "industry_code_malformed",
            "industry_code_missing",
            "revenue_not_numeric",
            "industry_code_section_mismatch",
        ]
    )


def test_formula_like_text_is_stored_as_text(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        '统一社会信用代码,单位名称,行业代码,营业收入\nX,"=HYPERLINK(""http://x"")",ABCD,1\n'
        "Y,乙,5292,2\n"  # a row that counts: a run where none counts fails
    )
    workbook_path, _ = run_measure(path)
    sheet = openpyxl.load_workbook(workbook_path)["数据质量"]
    cell = sheet["I3"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


# XlsxWriter writes a cell whose text starts with <r> and ends with </r> as rich-text markup,
# unescaped (its constant-memory path): an enterprise's cell so written corrupted the workbook
# (Excel "repairs" it by deleting the sheet's data) or slipped markup of its own into it.
MARKUP = ("<r>A & B</r>", "<r><t>x</t></r></is></c></row>")


def test_cells_that_look_like_markup_are_text(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    path = tmp_path / "q.csv"
    path.write_text(
        "统一社会信用代码,单位名称,行业代码,营业收入\n"
        + "".join(f'X{i},"{name}",ABCD,1\n' for i, name in enumerate(MARKUP))
        + f"{fixtures.A},乙,5292,2\n",
        encoding="utf-8",
    )
    workbook_path, _ = run_measure(path)
    rows = CalamineWorkbook.from_path(workbook_path).get_sheet_by_name("数据质量").to_python()
    assert [r[8] for r in rows[2:]] == list(MARKUP)


def test_rejects_csv_lists_every_reject(quarter: Path) -> None:
    run_measure(quarter)
    rows = list(csv.DictReader((quarter.parent / "rej.csv").open(encoding="utf-8-sig")))
    assert sorted(int(r["行号"]) for r in rows) == [8, 9, 10, 11, 14]
    assert {r["原因代码"] for r in rows} >= {"duplicate_credit_code"}
    assert next(r for r in rows if r["行号"] == "11")["营业收入"] == "n/a"


def test_json_to_stdout_keeps_stdout_clean(quarter: Path) -> None:
    result = runner.invoke(app, fixtures.measure_args(quarter, "--json", "-"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["period"] == "2024Q3"
    assert "核对" in result.stderr


def test_missing_file_exits_3_and_writes_nothing(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["measure", str(tmp_path / "none.csv"), "-p", "2024Q3", "-o", str(tmp_path / "t.xlsx")]
    )
    assert result.exit_code == 3 and "no such file" in result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_missing_column_exits_3_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("统一社会信用代码,单位名称,行业代码\nX,甲,5292\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "measure",
            str(path),
            "-p",
            "2024Q3",
            "-o",
            str(tmp_path / "t.xlsx"),
            "--json",
            str(tmp_path / "r.json"),
        ],
    )
    assert result.exit_code == 3
    assert "required column(s) missing: revenue" in result.stderr
    assert "Headers found: 统一社会信用代码, 单位名称, 行业代码" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.csv"]


def test_unwritable_output_exits_4_before_work(quarter: Path) -> None:
    result = runner.invoke(
        app,
        [
            "measure",
            str(quarter),
            "-p",
            "2024Q3",
            "-o",
            str(quarter.parent / "no" / "t.xlsx"),
            "--json",
            str(quarter.parent / "r.json"),
        ],
    )
    assert result.exit_code == 4 and "does not exist" in result.stderr
    assert not (quarter.parent / "r.json").exists()


def test_failure_while_writing_leaves_nothing(
    quarter: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import digicons.outputs.measured

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device", "r.json")

    monkeypatch.setattr(digicons.outputs.measured, "write_rejects_csv", broken)
    result = runner.invoke(
        app,
        fixtures.measure_args(
            quarter,
            "--json",
            str(quarter.parent / "r.json"),
            "--rejects",
            str(quarter.parent / "x.csv"),
        ),
    )
    assert result.exit_code == 4 and "No space left" in result.stderr
    assert sorted(p.name for p in quarter.parent.iterdir()) == ["q.csv"]


def test_bad_unit_and_period_are_usage_errors(quarter: Path) -> None:
    assert (
        runner.invoke(app, ["measure", str(quarter), "-p", "2024Q3", "--unit", "美元"]).exit_code
        == 2
    )
    bad = runner.invoke(app, ["measure", str(quarter), "-p", "2024-13"])
    assert bad.exit_code == 2 and "not a quarter" in bad.stderr


@pytest.mark.parametrize(
    ("level", "mode"), [("City", "Full"), ("地级", "full"), (" CITY ", "FULL"), ("city", "full")]
)
def test_option_words_as_people_type_them(quarter: Path, level: str, mode: str) -> None:
    # The help names 地级 beside city: both are the level.
    result = runner.invoke(
        app,
        fixtures.measure_args(quarter, "--region-level", level, "--partial", mode, "--json", "-"),
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["regions"]["level"], document["partial_treatment"]) == ("city", "full")


@pytest.mark.parametrize(
    ("options", "code"),
    [
        (("--max-rejected", "5%"), 0),
        (("--max-rejected", "５"), 0),
        (("--confidential", "--dominance", "2, 85%", "--protection", "10%"), 0),
        (("--confidential", "--dominance", "2，85"), 0),
        (("--confidential", "--dominance", "2,8x5"), 2),
        (("--confidential", "--protection", "1e999999"), 2),
        (("--max-rejected", "NaN"), 2),
        (("--confidential", "--min-enterprises", "0"), 2),  # no threshold is no rule
        (("--confidential", "--min-enterprises", "-1"), 2),
        (("--encoding", "latin1"), 2),  # an option's value: a usage error, not the input's
    ],
)
def test_option_values_as_people_write_them(
    quarter: Path, options: tuple[str, ...], code: int
) -> None:
    # 5% is a percentage; a malformed one is a usage error, never an internal one.
    result = runner.invoke(app, fixtures.measure_args(quarter, *options))
    assert result.exit_code == code, result.output


def test_columns_option_and_forced_encoding(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes("信用码,公司,代码,收入\nX,甲,5292,10\n".encode("gbk"))
    result = runner.invoke(
        app,
        fixtures.measure_args(
            path,
            "--json",
            "-",
            "--encoding",
            "gbk",
            "--columns",
            "credit_code=信用码,name=公司",
            "--columns",
            "industry_code=代码,revenue=收入",
            "--unit",
            "千元",
        ),
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["rows"][0]["revenue"] == 10.0


def test_sample_command_is_deterministic(tmp_path: Path) -> None:
    for name in ("a.parquet", "b.parquet", "c.csv"):
        result = runner.invoke(app, ["sample", "-n", "500", "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    measured = runner.invoke(
        app, ["measure", str(tmp_path / "c.csv"), "-o", str(tmp_path / "t.xlsx"), "--json", "-"]
    )
    document = json.loads(measured.stdout)
    assert document["period"] == "2024Q3"  # taken from the 报告期 column
    assert document["reconciliation"]["rows_read"] == 500


@pytest.mark.parametrize(
    "option", [("--dirty-rate", "2"), ("--dirty-rate", "-0.1"), ("--scale", "0")]
)
def test_sample_refuses_rates_and_scales_out_of_range(
    tmp_path: Path, option: tuple[str, str]
) -> None:
    out = tmp_path / "s.parquet"
    result = runner.invoke(app, ["sample", "--rows", "10", "-p", "2024Q3", "-o", str(out), *option])
    assert result.exit_code == 2 and option[0] in result.stderr and not out.exists()


def test_sample_rows_are_valid() -> None:
    table = generate(SampleSpec(2000, Period(2024, 3), dirty_rate=0.0)).to_pydict()
    assert all(is_valid(c) for c in table["统一社会信用代码"])
    assert set(table["行业代码"]) <= set(CLASSES)
    assert len(set(table["区划代码"])) == 16


def test_sample_classes_are_real(reference_classes: list[str]) -> None:
    assert set(CLASSES) <= set(reference_classes)


def test_more_issues_than_a_sheet_holds_go_to_a_csv(
    quarter: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import digicons.outputs.workbook

    monkeypatch.setattr(digicons.outputs.workbook, "QUALITY_ROOM", 3)
    workbook_path, _ = run_measure(quarter)
    beside = quarter.parent / "t-数据质量.csv"
    rows = list(csv.DictReader(beside.open(encoding="utf-8-sig")))
    assert len(rows) == 9  # 5 rejects and 4 flagged rows of the hand-made quarter
    sheet = openpyxl.load_workbook(workbook_path)["数据质量"]
    assert "仅列出前 3 行" in str(sheet["A1"].value) and beside.name in str(sheet["A1"].value)
    assert sheet.max_row == 2 + 3


def test_an_earlier_runs_issue_list_is_never_left_beside_the_workbook(
    quarter: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import digicons.outputs.workbook

    monkeypatch.setattr(digicons.outputs.workbook, "QUALITY_ROOM", 3)
    run_measure(quarter)
    beside = quarter.parent / "t-数据质量.csv"
    assert len(list(csv.DictReader(beside.open(encoding="utf-8-sig")))) == 9
    # The file corrected, the next run has one flagged row, listed in the sheet itself: the
    # list beside the workbook must be this run's, not the nine rows of the last.
    quarter.write_text(
        f"统一社会信用代码,单位名称,行业代码,营业收入\n{fixtures.A},甲,5292,10\n,乙,5292,5\n",
        encoding="utf-8",
    )
    workbook_path, _ = run_measure(quarter)
    assert openpyxl.load_workbook(workbook_path)["数据质量"].max_row == 2 + 1
    assert len(list(csv.DictReader(beside.open(encoding="utf-8-sig")))) == 1


def test_issues_beyond_the_memory_limit_stream_from_a_file(tmp_path: Path) -> None:
    from digicons.measure import MeasureOptions, measure
    from digicons.outputs.issues import write_rejects_csv

    path = fixtures.write_csv(tmp_path / "q.csv")
    result = measure(MeasureOptions([path], period="2024Q3", issue_limit=2))
    assert len(result.issues) == 2 and result.issue_count == 9
    assert result.issue_store is not None and result.issue_store.path.exists()
    assert [i.row for i in result.all_issues()] == [4, 5, 6, 8, 9, 10, 11, 13, 14]
    write_rejects_csv(result, tmp_path / "all.csv", flagged_too=True)
    rows = list(csv.DictReader((tmp_path / "all.csv").open(encoding="utf-8-sig")))
    assert [int(r["行号"]) for r in rows] == [4, 5, 6, 8, 9, 10, 11, 13, 14]
    store = result.issue_store.path
    del result, rows
    import gc

    gc.collect()
    assert not store.exists()  # the store goes with the result


def test_large_samples_are_written_in_deterministic_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    import digicons.sample

    monkeypatch.setattr(digicons.sample, "CHUNK_ROWS", 300)
    spec = SampleSpec(1000, Period(2024, 3))
    for name in ("a.parquet", "b.parquet"):
        assert digicons.sample.write_sample(spec, tmp_path / name) == 1000
    table = pq.read_table(tmp_path / "a.parquet")
    assert table.num_rows == 1000
    assert table.equals(pq.read_table(tmp_path / "b.parquet"))
    # The first chunk is the same as a small sample with the same seed.
    first = generate(SampleSpec(300, Period(2024, 3)))
    assert table.slice(0, 300).to_pydict() == first.to_pydict()


def test_measure_reports_progress(quarter: Path) -> None:
    from digicons.measure import MeasureOptions, measure

    stages: list[str] = []
    measure(MeasureOptions([quarter], period="2024Q3"), progress=stages.append)
    assert stages[0].startswith("reading")
    assert any(s.startswith("3/3 classifying") for s in stages)


def test_a_full_disk_while_staging_a_csv_is_an_output_error(
    quarter: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staged copy is written on a thread of its own: its error still reaches the user as
    the full-disk message (exit 4), not a hang or a traceback, and nothing is written."""
    import pyarrow.parquet as pq

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    result = runner.invoke(app, fixtures.measure_args(quarter))
    assert result.exit_code == 4 and "No space left" in result.stderr
    assert sorted(p.name for p in quarter.parent.iterdir()) == ["q.csv"]


def test_sample_does_not_write_over_an_existing_file(tmp_path: Path) -> None:
    # `sample -o data.csv` next to a real quarter of the same name would have destroyed it.
    out = tmp_path / "data.csv"
    out.write_text("统一社会信用代码,营业收入\n", encoding="utf-8")
    result = runner.invoke(app, ["sample", "--rows", "10", "-o", str(out)])
    assert result.exit_code == 2 and "--overwrite" in result.stderr
    assert out.read_text(encoding="utf-8") == "统一社会信用代码,营业收入\n"
    replaced = runner.invoke(app, ["sample", "--rows", "10", "-o", str(out), "--overwrite"])
    assert replaced.exit_code == 0, replaced.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 11


def test_merged_cells_that_look_like_markup_are_text(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    from digicons.outputs.style import merge_text, new_workbook

    path = tmp_path / "t.xlsx"
    with new_workbook(path) as styles:
        sheet = styles.workbook.add_worksheet("说明")
        for row, text in enumerate(MARKUP):
            merge_text(sheet, row, 0, 3, text, styles.plain("left"))
    rows = CalamineWorkbook.from_path(path).get_sheet_by_name("说明").to_python()
    assert [r[0] for r in rows] == list(MARKUP)
    merged = openpyxl.load_workbook(path)["说明"].merged_cells.ranges
    assert sorted(str(m) for m in merged) == ["A1:D1", "A2:D2"]


# Text as enterprises' files hold it: markup characters, spaces at either end, a carriage return,
# a literal escape of Excel's (_x0041_), a control character, text past Excel's limit, text of
# nothing but a control character, a number.
AWKWARD = (
    "A & B <c> >",
    "  padded  ",
    "line\r\nbreak",
    "_x0041_ and _X00e9_",
    "bell\x07",
    "长" * 40_000,
    "\x01",
    7,
    1234567.125,
    0.1,
    "",
)


def test_rows_added_to_a_finished_workbook_read_as_xlsxwriter_writes_them(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    from digicons.outputs.listing import listing
    from digicons.outputs.style import new_workbook, write_text

    path = tmp_path / "t.xlsx"
    with new_workbook(path) as styles:
        sheet = styles.workbook.add_worksheet("清单")
        text, number = styles.cell("text"), styles.cell("money")
        # Row 1 written by XlsxWriter, the reference; rows 2 and 3 by the listing.
        for column, value in enumerate(AWKWARD):
            if isinstance(value, int | float):
                sheet.write_number(0, column, value, number)
            elif value == "":
                sheet.write_blank(0, column, None, text)
            else:
                write_text(sheet, 0, column, str(value), text)
        rest = listing(sheet, 1, [list(AWKWARD), list(AWKWARD)], text, number)
        styles.workbook.add_worksheet("其后")
    rest.add_to(path)

    book = openpyxl.load_workbook(path)
    sheet = book["清单"]
    assert sheet.dimensions == f"A1:{openpyxl.utils.get_column_letter(len(AWKWARD))}3"
    reference = [(c.value, c.data_type, c.style_id) for c in sheet[1]]
    # Text of nothing but a control character: an empty string from XlsxWriter, a blank here.
    assert reference[6] == ("", "s", reference[0][2]) and sheet["G2"].value is None
    reference[6] = (None, "n", reference[0][2])
    assert [(c.value, c.data_type, c.style_id) for c in sheet[2]] == reference
    assert [(c.value, c.data_type, c.style_id) for c in sheet[3]] == reference
    assert reference[0][0] == "A & B <c> >" and reference[8][0] == 1234567.125
    assert reference[4][0] == "bell" and len(reference[5][0]) == 32767
    assert reference[0][2] != reference[7][2]  # text and numbers each in their format
    assert book.sheetnames == ["清单", "其后"]
    rows = CalamineWorkbook.from_path(path).get_sheet_by_name("清单").to_python()
    assert rows[1] == rows[2] == [*rows[0][:6], "", *rows[0][7:]]
    assert rows[0][1] == "  padded  " and rows[0][2] == "line\r\nbreak"
    assert rows[0][3] == "_x0041_ and _X00e9_"  # Excel's escape of the escape undone


_plain = st.text(alphabet="a长 _x0", max_size=4)  # text the short cut takes, spaces or not
_any_cell = st.one_of(
    st.sampled_from(AWKWARD),
    _plain,
    st.text(alphabet="a长 _x0\r<&", max_size=8),
    st.integers(-(10**17), 10**17),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
# Columns of one kind each (what the short cuts look for), or of any cells.
_columns = st.integers(1, 30).flatmap(
    lambda n: st.lists(
        st.sampled_from([_plain, st.integers(0, 10**17), _any_cell]).flatmap(
            lambda cells: st.lists(cells, min_size=n, max_size=n)
        ),
        min_size=1,
        max_size=4,
    )
)


@given(_columns.map(lambda columns: [list(row) for row in zip(*columns, strict=True)]))
def test_listing_columns_are_written_as_each_cell_alone(rows: list[list[object]]) -> None:
    # The column-wise short cuts (one search over a column of plain text, a column of whole
    # numbers) give the very XML of the rule for one cell, which the test above holds to
    # XlsxWriter's.
    from digicons.outputs import listing
    from digicons.outputs.listing import Listing, _cell

    listed = Listing("清单", 1, rows, (3, 4))
    expected = "".join(
        f'<row r="{number}">'
        + "".join(_cell(f"{chr(65 + c)}{number}", v, ' s="3"', ' s="4"') for c, v in enumerate(row))
        + "</row>"
        for number, row in enumerate(rows, start=2)
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(listing, "_CHUNK", 7)  # rows in several chunks
        chunks = list(listed._chunks())
    assert len(chunks) == (len(rows) + 6) // 7
    assert "".join(chunks) == expected


def test_a_folder_measured_again_leaves_out_what_digicons_wrote_into_it(quarter: Path) -> None:
    # Quarter after quarter in one folder: the last run's workbook, JSON, rejects list and the
    # 数据质量 list beside the workbook sit beside the data. Read as enterprise data, the lists
    # counted their rows again (3,000 read became 3,005 on the sample).
    first_book, first = run_measure(quarter)
    (quarter.parent / "t-数据质量.csv").write_bytes((quarter.parent / "rej.csv").read_bytes())
    result = runner.invoke(
        app,
        ["measure", str(quarter.parent), "-p", "2024Q3", "-o", str(first_book), "--json", "-"],
    )
    assert result.exit_code == 0, result.output
    again = json.loads(result.stdout)
    assert again["reconciliation"] == first["reconciliation"]
    assert again["inputs"] == [str(quarter)]
    for name in ("t.xlsx", "rej.csv", "t-数据质量.csv"):
        assert any(name in note and "digicons" in note for note in again["notes"]), name


def test_a_list_digicons_wrote_named_as_an_input_is_refused(quarter: Path) -> None:
    run_measure(quarter)
    for name in ("rej.csv", "t.xlsx"):
        out = quarter.parent / "again.xlsx"
        result = runner.invoke(
            app, ["measure", str(quarter.parent / name), "-p", "2024Q3", "-o", str(out)]
        )
        assert result.exit_code == 3, result.output
        assert not out.exists()
        assert "digicons 写出" in result.stderr and name in result.stderr
