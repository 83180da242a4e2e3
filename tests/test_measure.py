"""`measure` on the hand-made quarter: every figure below is computed by hand (千元 → 万元)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from digicons.errors import InputError, UsageError
from digicons.measure import MeasureOptions, MeasureResult, measure
from digicons.measure.result import RowIssue
from digicons.outputs.jsondoc import result_json
from tests import fixtures


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> MeasureResult:
    path = fixtures.write_csv(tmp_path_factory.mktemp("m") / "q.csv")
    return measure(MeasureOptions([path], period="2024Q3"))


def rows_by_code(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["code"] or "total": row for row in document["rows"]}


def test_total(result: MeasureResult) -> None:
    total = rows_by_code(result_json(result))["total"]
    # Digital rows: 1000 + 2000 + 500 + 300 + 200 + 100 - 10 = 4090 千元.
    assert total["enterprises"] == 7
    assert total["revenue"] == pytest.approx(409.0)
    # Prior: 800 + 1000 + 400 + 300 + 0 + 20 = 2520; their rows' revenue 3890.
    assert total["revenue_prior"] == pytest.approx(252.0)
    assert total["yoy_pct"] == pytest.approx((3890 / 2520 - 1) * 100)
    assert total["share_pct"] == pytest.approx(100.0)
    assert total["partial"] is True


def test_overlap_codes_and_minors(result: MeasureResult) -> None:
    rows = rows_by_code(result_json(result))
    # 5292 beats 52*: rows 2 and 13 (1000 - 10), prior 800 + 20.
    assert rows["40202"]["enterprises"] == 2
    assert rows["40202"]["revenue"] == pytest.approx(99.0)
    assert rows["40202"]["yoy_pct"] == pytest.approx((990 / 820 - 1) * 100)
    assert rows["40202"]["share_pct"] == pytest.approx(990 / 4090 * 100)
    # 5211 falls to 52* (partial).
    assert (rows["50602"]["revenue"], rows["50602"]["partial"]) == (pytest.approx(200.0), True)
    assert rows["50602"]["yoy_pct"] == pytest.approx(100.0)
    # 8121 beats section O; 8011 falls to O*; 7010 to K*.
    assert rows["20401"]["revenue"] == pytest.approx(50.0)
    assert rows["20401"]["partial"] is False
    assert rows["50907"]["revenue"] == pytest.approx(30.0)
    assert rows["50907"]["yoy_pct"] == pytest.approx(0.0)
    assert rows["50904"]["revenue"] == pytest.approx(20.0)
    assert rows["50904"]["revenue_prior"] is None and rows["50904"]["yoy_pct"] is None
    # I6422 with a section prefix: prior 0 gives no growth.
    assert rows["30303"]["revenue"] == pytest.approx(10.0)
    assert rows["30303"]["revenue_prior"] == 0.0 and rows["30303"]["yoy_pct"] is None


def test_mediums_and_majors(result: MeasureResult) -> None:
    rows = rows_by_code(result_json(result))
    assert rows["402"]["revenue"] == pytest.approx(99.0)
    assert rows["204"]["revenue"] == pytest.approx(50.0)
    assert rows["506"]["revenue"] == pytest.approx(200.0)
    assert rows["509"]["revenue"] == pytest.approx(50.0)  # 50907 + 50904
    assert rows["5"]["revenue"] == pytest.approx(250.0)
    assert rows["5"]["yoy_pct"] == pytest.approx((2300 / 1300 - 1) * 100)
    assert rows["4"]["revenue"] == pytest.approx(99.0)
    assert rows["3"]["revenue"] == pytest.approx(10.0)
    assert rows["2"]["revenue"] == pytest.approx(50.0)
    assert rows["1"]["revenue"] == pytest.approx(0.0) and rows["1"]["enterprises"] == 0
    assert rows["1"]["yoy_pct"] is None and rows["1"]["share_pct"] == 0.0


def test_every_category_is_present(result: MeasureResult) -> None:
    levels = [row["level"] for row in result_json(result)["rows"]]
    assert [levels.count(x) for x in ("total", "major", "medium", "minor")] == [1, 5, 22, 63]


def test_reconciliation(result: MeasureResult) -> None:
    rec = result_json(result)["reconciliation"]
    assert rec["rows_read"] == 13
    assert (rec["rows_digital"], rec["rows_not_digital"], rec["rows_rejected"]) == (7, 1, 5)
    # Rejected revenue: 999 + 50 + 60 + 40 (the non-numeric row carries none) = 1149 千元.
    assert rec["revenue_rejected"] == pytest.approx(114.9)
    assert rec["revenue_not_digital"] == pytest.approx(70.0)
    assert rec["revenue_read"] == pytest.approx(593.9)
    exact = result.reconciliation
    assert exact.revenue_read == Decimal(5939)


def test_rejects_and_flags_exactly(result: MeasureResult) -> None:
    rejects = {(i.row, i.reason) for i in result.issues if i.status == "rejected"}
    assert rejects == {
        (8, "duplicate_credit_code"),
        (9, "industry_code_malformed"),
        (10, "industry_code_missing"),
        (11, "revenue_not_numeric"),
        (14, "industry_code_section_mismatch"),
    }
    duplicate = next(i for i in result.issues if i.reason == "duplicate_credit_code")
    assert duplicate.kept_at is not None and duplicate.kept_at[1] == 2
    assert duplicate.values["name"] == "甲（重复）"
    flagged = {(i.row, i.flags) for i in result.issues if i.status != "rejected"}
    assert flagged == {
        (4, ("credit_code_check_failed",)),
        (5, ("region_missing",)),
        (6, ("name_missing",)),
        (13, ("revenue_negative",)),
    }
    assert result.flagged_rows == 4
    assert result_json(result)["rejects_by_reason"]["duplicate_credit_code"] == {
        "rows": 1,
        "revenue": pytest.approx(99.9),
    }


@pytest.mark.parametrize("kind", ["gb18030", "utf-8-sig", "xlsx", "parquet"])
def test_every_format_gives_identical_results(
    kind: str, result: MeasureResult, tmp_path: Path
) -> None:
    if kind == "xlsx":
        path = fixtures.write_xlsx(tmp_path / "q.xlsx")
    elif kind == "parquet":
        path = fixtures.write_parquet(tmp_path / "q.parquet")
    else:
        path = fixtures.write_csv(tmp_path / "q.csv", kind)
    other = measure(MeasureOptions([path], period="2024Q3"))
    expected, got = result_json(result), result_json(other)
    assert got["rows"] == expected["rows"]
    assert got["reconciliation"] == expected["reconciliation"]
    # Parquet has no header line: its rows are numbered from 1, spreadsheets' from 2.
    shift = 1 if kind == "parquet" else 0
    assert [(i.row + shift, i.reason, i.flags) for i in other.issues] == [
        (i.row, i.reason, i.flags) for i in result.issues
    ]


@pytest.mark.parametrize("rows", [1, 2, 5])
def test_the_credit_code_pass_does_not_depend_on_its_batches(
    rows: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pass streams the codes in batches (marks.BATCH_ROWS): a code repeated in another batch
    # (rows 2 and 8), a failing check digit (row 4) and a code that repeats only once normalised
    # (row 15, written in lower case with spaces) are found all the same.
    from digicons.measure import marks

    def run(path: Path) -> MeasureResult:
        return measure(MeasureOptions([path], period="2024Q3"))

    def found(issues: list[RowIssue]) -> list[tuple[object, ...]]:
        return [(i.row, i.reason, i.flags, i.kept_at and i.kept_at[1]) for i in issues]

    path = fixtures.write_csv(tmp_path / "q.csv")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f" {fixtures.ROWS[1][0].lower()} ,乙（重复）,5211,110105,5,\n")
    whole = run(path)
    monkeypatch.setattr(marks, "BATCH_ROWS", rows)
    batched = run(path)
    expected, got = result_json(whole), result_json(batched)
    for document in (expected, got):
        document.pop("provenance")
    assert got == expected
    assert found(batched.issues) == found(whole.issues)
    assert {(8, "duplicate_credit_code", (), 2), (15, "duplicate_credit_code", (), 3)} <= set(
        found(batched.issues)
    )
    assert (4, None, ("credit_code_check_failed",), None) in found(batched.issues)


def test_units_convert_exactly(tmp_path: Path) -> None:
    path = fixtures.write_csv(tmp_path / "q.csv")
    other = measure(MeasureOptions([path], period="2024Q3", input_unit="元", unit="亿元"))
    total = rows_by_code(result_json(other))["total"]
    assert total["revenue"] == pytest.approx(4090 / 1e8)


def test_unit_in_the_header_is_used(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "统一社会信用代码,单位名称,行业代码,营业收入（万元）\nX,甲,5292,3\n", encoding="utf-8"
    )
    found = measure(MeasureOptions([path], period="2024Q3"))
    assert found.input_unit == "万元" and found.total.revenue == 3
    with pytest.raises(UsageError, match="file names 万元"):
        measure(MeasureOptions([path], period="2024Q3", input_unit="千元"))


def test_several_files_and_first_duplicate_wins_across_files(tmp_path: Path) -> None:
    one = tmp_path / "a.csv"
    two = tmp_path / "b.csv"
    one.write_text(f"统一社会信用代码,单位名称,行业代码,营业收入\n{fixtures.A},甲,5292,10\n")
    two.write_text(f"credit_code,name,industry_code,revenue\n{fixtures.A},甲2,5211,20\n")
    found = measure(MeasureOptions([tmp_path], period="2024Q3"))
    assert found.total.revenue == 10
    (dup,) = found.issues
    assert (dup.file, dup.row, dup.kept_at) == (two, 2, (one, 2))


def test_period_from_the_file_and_mismatches(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "统一社会信用代码,单位名称,行业代码,营业收入,报告期\n"
        "X1,甲,5292,10,2024年1-3季度\nX2,乙,5292,20,2024Q3\nX3,丙,5292,5,2024Q2\nX4,丁,5292,1,某期\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match="periods"):
        measure(MeasureOptions([path]))
    found = measure(MeasureOptions([path], period="2024-Q3"))
    assert found.period.key == "2024Q3" and found.total.revenue == 30
    assert {i.reason for i in found.issues if i.status == "rejected"} == {
        "period_mismatch",
        "period_unrecognised",
    }


def test_missing_required_column_names_it(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("统一社会信用代码,单位名称,行业代码\nX,甲,5292\n", encoding="utf-8")
    with pytest.raises(InputError, match="revenue") as caught:
        measure(MeasureOptions([path], period="2024Q3"))
    assert (
        caught.value.hint is not None
        and "统一社会信用代码, 单位名称, 行业代码" in caught.value.hint
    )


def test_columns_override(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("信用码,公司,代码,本季收入\nX,甲,5292,10\n", encoding="utf-8")
    found = measure(
        MeasureOptions(
            [path],
            period="2024Q3",
            columns={
                "credit_code": "信用码",
                "name": "公司",
                "industry_code": "代码",
                "revenue": "本季收入",
            },
        )
    )
    assert found.total.revenue == 10


def test_code_table_rejects_codes_that_are_not_classes(
    tmp_path: Path, reference_path: Path
) -> None:
    from digicons.scope.codetable import load_code_table

    path = tmp_path / "q.csv"
    path.write_text("统一社会信用代码,单位名称,行业代码,营业收入\nX1,甲,5298,10\nX2,乙,5299,20\n")
    without = measure(MeasureOptions([path], period="2024Q3"))
    assert without.total.revenue == 30
    strict = measure(MeasureOptions([path], period="2024Q3", codes=load_code_table(reference_path)))
    assert strict.total.revenue == 20
    assert [(i.row, i.reason) for i in strict.issues if i.status == "rejected"] == [
        (2, "industry_code_unknown")
    ]


def test_numeric_industry_codes_keep_their_leading_zero(tmp_path: Path) -> None:
    path = tmp_path / "q.parquet"
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(
        pa.table(
            {
                "统一社会信用代码": ["X1", "X2"],
                "单位名称": ["甲", "乙"],
                "行业代码": pa.array([111, 5292], pa.int32()),
                "营业收入": [1.5, 2.25],
            }
        ),
        path,
    )
    found = measure(MeasureOptions([path], period="2024Q3"))
    assert found.reconciliation.rows == {"digital": 1, "not_digital": 1, "rejected": 0}
    assert found.reconciliation.revenue["not_digital"] == Decimal("1.5")


def test_a_ragged_row_is_rejected_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "统一社会信用代码,单位名称,行业代码,营业收入\nX,甲,5292,1,extra,more\nY,乙,5292,2\n"
    )
    found = measure(MeasureOptions([path], period="2024Q3"))
    assert found.total.revenue == 2
    (ragged,) = [i for i in found.issues if i.status == "rejected"]
    assert (ragged.row, ragged.reason) == (2, "record_field_count")
    assert ragged.note == "第2行有 6 个字段，表头有 4 个"


def test_glob_of_files(tmp_path: Path) -> None:
    for name, revenue in (("a_东城.csv", 10), ("b_西城.csv", 20), ("notes.txt", 0)):
        (tmp_path / name).write_text(
            f"统一社会信用代码,单位名称,行业代码,营业收入\n{name},甲,5292,{revenue}\n"
        )
    found = measure(MeasureOptions([tmp_path / "*.csv"], period="2024Q3"))
    assert [f.path.name for f in found.inputs] == ["a_东城.csv", "b_西城.csv"]
    assert found.total.revenue == 30
    with pytest.raises(InputError, match="no files match"):
        measure(MeasureOptions([tmp_path / "*.xlsx"], period="2024Q3"))


def test_a_file_with_only_a_header_counts_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(
        f"统一社会信用代码,单位名称,行业代码,营业收入\n{fixtures.A},甲,5292,10\n"
    )
    (tmp_path / "b.csv").write_text("统一社会信用代码,单位名称,行业代码,营业收入\n")
    found = measure(MeasureOptions([tmp_path], period="2024Q3"))
    assert found.reconciliation.rows_read == 1 and found.total.revenue == 10


def test_title_rows_above_the_header_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    import openpyxl

    from tests.fixtures import put

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    lines: list[list[object]] = [
        ["规模以上服务业企业财务状况（2024年1-3季度）"],
        ["单位：千元"],
        ["统一社会信用代码", "单位详细名称", "行业代码", "营业收入"],
        [fixtures.A, "甲", "5292", 10],
        [],
        ["X2", "乙", "ABCD", 20],
    ]
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line, start=1):
            put(sheet, r, c, value)
    book.save(tmp_path / "q.xlsx")
    found = measure(MeasureOptions([tmp_path / "q.xlsx"], period="2024Q3"))
    assert found.total.revenue == 10
    # The reject names the row as Excel shows it: 6, after the blank row 5.
    assert [(i.row, i.reason) for i in found.issues if i.status == "rejected"] == [
        (6, "industry_code_malformed")
    ]
    csv_path = tmp_path / "q.csv"
    csv_path.write_text(
        "规模以上服务业企业财务状况\n单位：千元\n统一社会信用代码,单位详细名称,行业代码,营业收入\n"
        f"{fixtures.A},甲,5292,10\nX2,乙,ABCD,20\n",
        encoding="utf-8",
    )
    from_csv = measure(MeasureOptions([csv_path], period="2024Q3"))
    assert from_csv.total.revenue == 10
    assert [i.row for i in from_csv.issues if i.status == "rejected"] == [5]
