"""Statistician-grade tables: comparable growth, contributions, quarters, regions, partial
industries and disclosure control. Every expectation is computed by hand in the comments."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from digicons.cli import app
from digicons.measure import MeasureOptions, MeasureResult, measure
from digicons.measure.disclosure import DisclosureRules, Sensitive, primary
from digicons.measure.keys import region_key
from digicons.measure.partial import PartialTreatment
from digicons.outputs.jsondoc import result_json
from tests import fixtures

HEADER = "统一社会信用代码,单位名称,行业代码,区划代码,营业收入,营业收入上年同期\n"


def write(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def rows_of(result: MeasureResult) -> dict[str, dict[str, Any]]:
    return {r["code"] or "total": r for r in result_json(result)["rows"]}


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> MeasureResult:
    path = fixtures.write_csv(tmp_path_factory.mktemp("s") / "q.csv")
    return measure(MeasureOptions([path], period="2024Q3"))


def test_contributions_add_up_to_total_growth(quarter: MeasureResult) -> None:
    rows = rows_of(quarter)
    # Comparable base: matched revenue 3890, prior 2520, change 1370 (千元).
    assert rows["total"]["yoy_pct"] == pytest.approx((3890 / 2520 - 1) * 100)
    assert rows["total"]["pull_pp"] == pytest.approx(rows["total"]["yoy_pct"])
    assert rows["total"]["contribution_pct"] == pytest.approx(100.0)
    # Major 5: 2300 vs 1300; major 4: 990 vs 820; major 2: 500 vs 400; major 3: 100 vs 0.
    assert rows["5"]["pull_pp"] == pytest.approx(1000 / 2520 * 100)
    assert rows["5"]["contribution_pct"] == pytest.approx(1000 / 1370 * 100)
    assert rows["4"]["pull_pp"] == pytest.approx(170 / 2520 * 100)
    assert rows["3"]["contribution_pct"] == pytest.approx(100 / 1370 * 100)
    majors = [r for r in result_json(quarter)["rows"] if r["level"] == "major"]
    assert sum(r["pull_pp"] for r in majors) == pytest.approx(rows["total"]["yoy_pct"])
    assert sum(r["contribution_pct"] for r in majors) == pytest.approx(100.0)
    mediums = [r for r in result_json(quarter)["rows"] if r["level"] == "medium"]
    assert sum(r["pull_pp"] for r in mediums) == pytest.approx(rows["total"]["pull_pp"])


def test_share_change_in_points(quarter: MeasureResult) -> None:
    rows = rows_of(quarter)
    # Major 4 among comparable enterprises: 990 / 3890 now, 820 / 2520 a year ago.
    assert rows["4"]["share_change_pp"] == pytest.approx((990 / 3890 - 820 / 2520) * 100)
    majors = [r for r in result_json(quarter)["rows"] if r["level"] == "major"]
    assert sum(r["share_change_pp"] for r in majors) == pytest.approx(0.0, abs=1e-9)


def test_prior_files_match_by_credit_code(tmp_path: Path) -> None:
    a, b, c, d = (fixtures.code(f"91110105MA00001{i:02d}") for i in range(4))
    now = write(
        tmp_path / "now.csv",
        f"{a},甲,5292,110105,1000,",
        f"{b},乙,5211,110105,2000,",
        f"{c},丙(新),8121,110105,500,",
    )
    before = tmp_path / "before.csv"
    before.write_text(f"统一社会信用代码,营业收入\n{a},800\n{b},1500\n{d},300\n", encoding="utf-8")
    result = measure(MeasureOptions([now], period="2024Q3", prior=[before]))
    rows = rows_of(result)
    # Prior covers A and B only: 2300; their revenue now 3000.
    assert rows["total"]["revenue_prior"] == pytest.approx(230.0)
    assert rows["total"]["yoy_pct"] == pytest.approx((3000 / 2300 - 1) * 100)
    assert rows["20401"]["revenue_prior"] is None and rows["20401"]["yoy_pct"] is None
    comparison = result_json(result)["comparison"]
    assert comparison["source"] == "files"
    assert (comparison["unmatched_enterprises"], comparison["unmatched_revenue"]) == (1, 50.0)
    assert (comparison["vanished_enterprises"], comparison["vanished_revenue"]) == (1, 30.0)


def test_a_total_row_of_the_prior_file_is_no_enterprise(tmp_path: Path) -> None:
    a, b = (fixtures.code(f"91110105MA00003{i:02d}") for i in range(2))
    now = write(tmp_path / "now.csv", f"{a},甲,5292,110105,1000,", f"{b},乙,5211,110105,2000,")
    before = tmp_path / "before.csv"
    before.write_text(
        f"统一社会信用代码,营业收入\n{a},800\n{b},1500\n合计,2300\n", encoding="utf-8"
    )
    comparison = result_json(measure(MeasureOptions([now], period="2024Q3", prior=[before])))[
        "comparison"
    ]
    assert (comparison["vanished_enterprises"], comparison["vanished_revenue"]) == (0, 0.0)


@pytest.mark.parametrize("side", ["prior", "previous"])
def test_a_credit_code_repeated_in_a_side_file_is_said(tmp_path: Path, side: str) -> None:
    # The first row counts, as in the current files; the others were dropped without a word.
    a, b = (fixtures.code(f"91110105MA00004{i:02d}") for i in range(2))
    now = write(tmp_path / "now.csv", f"{a},甲,5292,110105,1000,", f"{b},乙,5211,110105,2000,")
    before = tmp_path / "before.csv"
    before.write_text(
        f"统一社会信用代码,营业收入\n{a},800\n{b},1500\n{a},800\n{a},700\n", encoding="utf-8"
    )
    options = (
        MeasureOptions([now], period="2024Q3", prior=[before])
        if side == "prior"
        else MeasureOptions([now], period="2024Q3", previous=[before])
    )
    result = measure(options)
    document = result_json(result)
    found = document["comparison" if side == "prior" else "quarter_only"]
    assert found["repeated_rows"] == 2
    assert found["vanished_enterprises"] == 0
    if side == "prior":
        assert rows_of(result)["total"]["revenue_prior"] == pytest.approx(230.0)
    from digicons.console import measure_notes

    assert "2 行统一社会信用代码重复" in " ".join(measure_notes(result))


def test_quarter_only_by_difference(tmp_path: Path) -> None:
    a, b, c, d = (fixtures.code(f"91110105MA00002{i:02d}") for i in range(4))
    q3 = write(
        tmp_path / "q3.csv",
        f"{a},甲,5292,110105,1000,800",
        f"{b},乙,5292,110105,600,500",
        f"{c},丙,5292,110105,200,",
    )
    q2 = write(
        tmp_path / "q2.csv",
        f"{a},甲,5292,110105,700,500",
        f"{b},乙,5292,110105,400,300",
        f"{d},丁,5292,110105,50,40",
    )
    result = measure(MeasureOptions([q3], period="2024Q3", previous=[q2]))
    rows = rows_of(result)
    # Third quarter alone: A 300 (prior 300), B 200 (prior 200), C 200 (no prior, no Q2 row).
    assert rows["40202"]["revenue"] == pytest.approx(70.0)
    assert rows["40202"]["revenue_prior"] == pytest.approx(50.0)
    assert rows["40202"]["yoy_pct"] == pytest.approx(0.0)
    document = result_json(result)
    assert document["period_label"] == "2024年3季度" and document["cumulative"] is False
    assert document["quarter_only"]["enterprises_without_previous"] == 1
    assert document["quarter_only"]["vanished_enterprises"] == 1
    assert document["quarter_only"]["vanished_revenue"] == pytest.approx(5.0)


def test_quarter_only_needs_a_later_quarter(tmp_path: Path) -> None:
    from digicons.errors import UsageError

    path = write(tmp_path / "q.csv", "X,甲,5292,110105,1,")
    with pytest.raises(UsageError, match="after the first quarter"):
        measure(MeasureOptions([path], period="2024Q1", previous=[path]))


def treated(quarter: Path, mode: str, file: Path) -> MeasureResult:
    """`quarter` measured with its partial industries treated by `mode` and `file`."""
    return measure(MeasureOptions([quarter], period="2024Q3", partial=PartialTreatment(mode, file)))


@pytest.fixture
def partial_quarter(tmp_path: Path) -> Path:
    a, b, c = (fixtures.code(f"91110105MA00003{i:02d}") for i in range(3))
    return write(
        tmp_path / "q.csv",
        f"{a},百货甲,5211,110105,1000,500",
        f"{b},百货乙,5211,110108,1000,500",
        f"{c},网店,5292,110105,1000,",
    )


def test_shares_file_halves_a_partial_category(partial_quarter: Path, tmp_path: Path) -> None:
    shares = tmp_path / "shares.csv"
    shares.write_text("minor,region,share\n50602,,0.5\n50602,110105,0.2\n", encoding="utf-8")
    result = treated(partial_quarter, "shares", shares)
    rows = rows_of(result)
    # 朝阳 (110105) at 0.2, 海淀 at the default 0.5: 200 + 500 = 700 千元.
    assert rows["50602"]["revenue"] == pytest.approx(70.0)
    assert rows["50602"]["revenue_prior"] == pytest.approx((100 + 250) / 10)
    assert rows["40202"]["revenue"] == pytest.approx(100.0)
    rec = result_json(result)["reconciliation"]
    assert rec["revenue_digital"] == pytest.approx(170.0)
    assert rec["revenue_not_digital"] == pytest.approx(130.0)
    assert rec["revenue_read"] == pytest.approx(300.0)
    assert result_json(result)["partial_treatment"] == "shares"


@pytest.mark.parametrize(("half", "fifth"), [("50%", "20%"), ("５０％", " 20 % "), ("0.5", "0.2")])
def test_shares_written_as_percentages(
    partial_quarter: Path, tmp_path: Path, half: str, fifth: str
) -> None:
    # A share column formatted as percent in a spreadsheet is exported as 50%.
    shares = tmp_path / "shares.csv"
    shares.write_text(f"minor,region,share\n50602,,{half}\n50602,110105,{fifth}\n", "utf-8")
    result = treated(partial_quarter, "shares", shares)
    assert rows_of(result)["50602"]["revenue"] == pytest.approx(70.0)


def test_a_shares_file_saved_as_text_under_an_excel_name(
    partial_quarter: Path, tmp_path: Path
) -> None:
    shares = tmp_path / "shares.xls"  # tab-separated text, as systems "export to Excel"
    shares.write_bytes("minor\tregion\tshare\n50602\t\t0.5\n50602\t110105\t0.2\n".encode("gbk"))
    result = treated(partial_quarter, "shares", shares)
    assert rows_of(result)["50602"]["revenue"] == pytest.approx(70.0)


def test_exclude_and_list_and_bounds(partial_quarter: Path, tmp_path: Path) -> None:
    excluded = measure(
        MeasureOptions(
            [partial_quarter], period="2024Q3", partial=PartialTreatment("exclude"), bounds=True
        )
    )
    rows = rows_of(excluded)
    assert rows["50602"]["revenue"] == 0.0 and rows["50602"]["enterprises"] == 0
    assert excluded.reconciliation.rows == {"digital": 1, "not_digital": 2, "rejected": 0}
    # Bounds do not depend on the treatment: lower leaves * rows out, upper counts them in full.
    assert rows["total"]["revenue_lower"] == pytest.approx(100.0)
    assert rows["total"]["revenue_upper"] == pytest.approx(300.0)
    listing = tmp_path / "list.csv"
    listing.write_text(f"统一社会信用代码\n{fixtures.code('91110105MA0000300')}\n")
    listed = treated(partial_quarter, "list", listing)
    assert rows_of(listed)["50602"]["revenue"] == pytest.approx(100.0)
    assert rows_of(listed)["50602"]["enterprises"] == 1


def test_region_roll_up_and_names(tmp_path: Path) -> None:
    codes = [fixtures.code(f"91110105MA00004{i:02d}") for i in range(5)]
    path = write(
        tmp_path / "q.csv",
        f"{codes[0]},甲,5292,110105,100,",
        f"{codes[1]},乙,5292,110108,200,",
        f"{codes[2]},丙,6422,120101,300,",
        f"{codes[3]},丁,5292,,400,",
        f"{codes[4]},戊,5292,X1,500,",
    )
    result = measure(MeasureOptions([path], period="2024Q3", region_level="province"))
    regions = result_json(result)["regions"]
    totals = {r["region"]: r for r in regions["rows"] if r["level"] == "total"}
    assert regions["level"] == "province"
    assert set(totals) == {"110000", "120000", "", "X1"}
    assert totals["110000"]["revenue"] == pytest.approx(30.0)
    assert totals["110000"]["region_name"] == "北京市" and totals["X1"]["region_name"] == "X1"
    assert totals[""]["region_name"] == "（无有效区划代码）"
    by_major = {(r["region"], r["code"]): r for r in regions["rows"] if r["level"] == "major"}
    assert by_major[("120000", "3")]["revenue"] == pytest.approx(30.0)
    assert sum(r["revenue"] for r in totals.values()) == pytest.approx(150.0)
    county = measure(MeasureOptions([path], period="2024Q3"))
    assert {c.region for c in county.region_cells} == {"110105", "110108", "120101", "", "X1"}


@pytest.mark.parametrize(
    ("code", "level", "expected"),
    [
        ("110105", "province", "110000"),
        ("110105", "city", "110100"),
        ("110105", "county", "110105"),
        ("X1", "province", "X1"),
        ("", "city", ""),
    ],
)
def test_roll_up_rule(code: str, level: str, expected: str) -> None:
    assert region_key(code, level) == expected


def test_city_roll_up_through_measure(tmp_path: Path) -> None:
    codes = [fixtures.code(f"91110105MA00009{i:02d}") for i in range(3)]
    path = write(
        tmp_path / "q.csv",
        f"{codes[0]},甲,5292,110105,100,",
        f"{codes[1]},乙,5292,110108,200,",
        f"{codes[2]},丙,5292,120101,300,",
    )
    result = measure(MeasureOptions([path], period="2024Q3", region_level="city"))
    totals = {c.region: c.revenue for c in result.region_cells if c.level == "total"}
    # Both Beijing districts roll up to 110100 (100 + 200 千元), Tianjin's to 120100.
    assert totals == {"110100": Decimal(300), "120100": Decimal(300)}


def test_confidential_secondary_suppression(tmp_path: Path) -> None:
    lines = []
    # Medium 404: 40401 (8710) one enterprise, 40402 (8720) five, 40403 (8730) four.
    plan = [("8710", [100]), ("8720", [10, 20, 30, 40, 50]), ("8730", [60, 70, 80, 90])]
    n = 0
    for klass, revenues in plan:
        for revenue in revenues:
            lines.append(
                f"{fixtures.code(f'91110105MA0005{n:03d}')},企业{n},{klass},110105,{revenue},"
            )
            n += 1
    path = write(tmp_path / "q.csv", *lines)
    rules = DisclosureRules()
    result = measure(MeasureOptions([path], period="2024Q3", disclosure=rules))
    rows = rows_of(result)
    assert rows["40401"]["suppressed"] is True and rows["40401"]["revenue"] is None
    # Without a second hidden minor, 40401 = 404 − 40402 − 40403. The smaller (40402: 150) goes.
    assert rows["40402"]["suppressed"] is True
    assert rows["40403"]["suppressed"] is False and rows["40403"]["revenue"] == pytest.approx(30.0)
    # The other groups: 404 = 4 (only medium with data) and the region table likewise.
    hidden = {(None, c) for c in ("40401", "40402")}
    assert hidden <= set(result.suppressed)
    assert not primary(Sensitive(4, Decimal(300), (Decimal(90), Decimal(80))), rules)


def test_dominance_rule() -> None:
    rules = DisclosureRules(min_enterprises=3, dominance_n=2, dominance_k=Decimal(85))
    assert primary(Sensitive(10, Decimal(100), (Decimal(80), Decimal(6))), rules)
    assert not primary(Sensitive(10, Decimal(100), (Decimal(80), Decimal(5))), rules)
    assert primary(Sensitive(2, Decimal(100), (Decimal(50), Decimal(50))), rules)
    assert not primary(Sensitive(0, Decimal(0), ()), rules)


def test_cli_confidential_and_prior(tmp_path: Path) -> None:
    path = fixtures.write_csv(tmp_path / "q.csv")
    runner = CliRunner()
    result = runner.invoke(
        app,
        fixtures.measure_args(
            path,
            "--json",
            "-",
            "--confidential",
            "--min-enterprises",
            "2",
            "--dominance",
            "1,90",
            "--bounds",
            "--region-level",
            "province",
        ),
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["disclosure"]["min_enterprises"] == 2
    suppressed = [r for r in document["rows"] if r["suppressed"]]
    assert suppressed and all(r["revenue"] is None for r in suppressed)
    assert "revenue_lower" in document["rows"][0]
    assert "保密处理" in result.stderr
    bad = runner.invoke(app, ["measure", str(path), "-p", "2024Q3", "--partial", "shares"])
    assert bad.exit_code == 2 and "--partial-file" in bad.stderr


def _wide(text: str) -> str:
    """Full-width, as typed with a Chinese input method."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() else ch for ch in text)


A_LISTED = fixtures.code("91110105MA0000300")  # 百货甲 of partial_quarter: 5211 (*), 1000 千元


@pytest.mark.parametrize(
    "text",
    [
        # The codes in a later column, under a header the inputs also take.
        f"序号,企业名称,社会信用代码\n1,百货甲,{A_LISTED}\n",
        # 信用代码, as lists made by hand shorten it.
        f"企业名称,信用代码\n百货甲,{A_LISTED}\n",
        # Codes only, no header: the first line is an enterprise.
        f"{A_LISTED}\n",
        # As typed: lower case, full width, spaces inside and around.
        f"统一社会信用代码\n {_wide(A_LISTED[:9].lower())} {A_LISTED[9:]}\n",
    ],
)
def test_an_enterprise_list_as_people_write_it(
    partial_quarter: Path, tmp_path: Path, text: str
) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text(text, encoding="utf-8")
    result = treated(partial_quarter, "list", listing)
    assert rows_of(result)["50602"]["revenue"] == pytest.approx(100.0)
    assert rows_of(result)["50602"]["enterprises"] == 1
    assert not result.warnings


def test_an_enterprise_list_without_codes_is_refused(partial_quarter: Path, tmp_path: Path) -> None:
    from digicons.errors import InputError

    listing = tmp_path / "list.csv"
    listing.write_text("序号,企业名称\n1,百货甲\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"list\.csv") as caught:
        treated(partial_quarter, "list", listing)
    assert "统一社会信用代码" in caught.value.message
    assert "序号, 企业名称" in (caught.value.hint or "")


def test_listed_enterprises_not_in_partial_industries_are_a_warning(
    partial_quarter: Path, tmp_path: Path
) -> None:
    shop = fixtures.code("91110105MA0000302")  # 网店 of partial_quarter: 5292, not partial
    unknown = fixtures.code("91110105MA0000399")  # in no input
    listing = tmp_path / "list.csv"
    listing.write_text(f"统一社会信用代码\n{A_LISTED}\n{shop}\n{unknown}\n", encoding="utf-8")
    result = treated(partial_quarter, "list", listing)
    assert rows_of(result)["50602"]["revenue"] == pytest.approx(100.0)
    (warning,) = result.warnings
    assert warning.code == "list_unmatched"
    assert "2 个" in warning.message and shop in warning.message and unknown in warning.message
    assert result_json(result)["partial"]["listed"] == {"codes": 3, "found": 1}


@pytest.mark.parametrize(
    "rows",
    [
        "50602,,北京市朝阳区,0.2\n50602,,,0.5\n",  # a district by name
        "50602,,110105001000,0.2\n50602,,110108000000,0.5\n",  # 统计用区划代码
        # A province's share, and a district's that overrides it.
        "50602,,110000,0.5\n50602,,110105,0.2\n",
        ",5211,110100,0.5\n50602,,110105,0.2\n",  # a city's, for a class
    ],
)
def test_shares_by_region_as_written(partial_quarter: Path, tmp_path: Path, rows: str) -> None:
    shares = tmp_path / "shares.csv"
    shares.write_text("minor,class,region,share\n" + rows, encoding="utf-8")
    result = treated(partial_quarter, "shares", shares)
    # 朝阳 (110105) at 0.2, 海淀 (110108) at 0.5: 200 + 500 = 700 千元.
    assert rows_of(result)["50602"]["revenue"] == pytest.approx(70.0)
    assert result.without_share == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("minor,region,share\n50602,,0.5\n50602,,0.4\n", ["第2行", "第3行", "0.5", "0.4"]),
        # The same district by code and by name.
        (
            "minor,region,share\n50602,110105,0.2\n50602,北京市朝阳区,0.3\n",
            ["第2行", "第3行", "0.2", "0.3"],
        ),
        ("minor,region,share\n50602,朝阳,0.3\n", ["第2行", "region", "朝阳"]),
        ("minor,period,share\n50602,2024第三季,0.3\n", ["shares.csv 第2行", "2024第三季"]),
    ],
)
def test_shares_that_cannot_be_applied_are_refused(
    partial_quarter: Path, tmp_path: Path, text: str, words: list[str]
) -> None:
    from digicons.errors import InputError

    shares = tmp_path / "shares.csv"
    shares.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        treated(partial_quarter, "shares", shares)
    assert all(w in caught.value.message for w in words), caught.value.message
