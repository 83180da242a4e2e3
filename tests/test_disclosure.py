"""Issue 11: confidentiality that holds against an attacker's linear program.

The attacker (tests/attacker.py) is built apart from digicons' own audit: from the published JSON
and the catalogue's hierarchy only, solved with scipy. Each example below was run on the code
before this change too; its suppression pattern is restated here and shown to be unsafe.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from digicons.cli import app
from digicons.measure import MeasureOptions, measure
from digicons.measure.disclosure import DisclosureRules
from digicons.measure.rules import LABELS
from digicons.outputs.jsondoc import result_json
from tests import fixtures
from tests.attacker import Key, interval, published

runner = CliRunner()
CLASS = {"101": "3911", "102": "3922", "103": "3951", "104": "3961", "105": "3984"}
Plan = dict[tuple[str, str], list[float]]


def write(path: Path, plan: Plan) -> Path:
    """One enterprise per revenue, in (district, medium of major 1); 上年同期 equal to revenue."""
    lines = ["统一社会信用代码,单位详细名称,行业代码,区划代码,营业收入,营业收入上年同期"]
    n = 0
    for (region, medium), revenues in plan.items():
        for revenue in revenues:
            n += 1
            body = f"91110105MB{n:07d}"
            lines.append(
                f"{fixtures.code(body)},企业{n},{CLASS[medium]},{region},{revenue},{revenue}"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def protected(tmp_path: Path, plan: Plan, *extra: str) -> dict[str, Any]:
    path = write(tmp_path / "q.csv", plan)
    result = runner.invoke(
        app, [*fixtures.measure_args(path, "--confidential", "--json", "-"), *extra]
    )
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def reveal_except(truth: dict[str, Any], hidden: set[Key], measure: str) -> dict[Key, Any]:
    """What an attacker would see had only `hidden` been suppressed (`truth`: the same run
    without --confidential)."""
    values = published(truth, measure)
    return {key: None if key in hidden else value for key, value in values.items()}


def truth_of(tmp_path: Path, plan: Plan) -> dict[str, Any]:
    """The same run without --confidential: every true figure."""
    path = write(tmp_path / "t.csv", plan)
    result = runner.invoke(app, fixtures.measure_args(path, "--json", "-"))
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def assert_protected(
    document: dict[str, Any], truth_document: dict[str, Any], measure: str, level: float = 0.10
) -> int:
    """Every primary cell's interval reaches `level` of its value below and above it; returns
    how many primary cells were checked."""
    cells = published(document, measure)
    checked = 0
    truth = {k: v for k, v in published(truth_document, measure).items() if v is not None}
    for row in [*document["rows"], *document["regions"]["rows"]]:
        if not row.get("audit", {}).get("primary"):
            continue
        key: Key = (row.get("region"), row["code"])
        value = truth[key]
        low, high = interval(cells, key)
        need = level * abs(value)
        assert high - value >= need - 1e-6 and value - low >= need - 1e-6, (key, low, value, high)
        checked += 1
    return checked


BRIDGE: Plan = {
    ("110101", "101"): [300, 310, 320],
    ("110101", "102"): [400, 410, 420],
    ("110101", "104"): [0],  # one enterprise with no revenue this quarter
    ("110101", "105"): [900, 910, 920],
    ("110102", "101"): [150],
    ("110102", "102"): [160],
    ("110102", "103"): [116.5],  # 11.65 万元: the enterprise to protect
    ("110102", "105"): [950, 960, 970],
}


def test_the_bridge_example(tmp_path: Path) -> None:
    document = protected(tmp_path, BRIDGE)
    truth = truth_of(tmp_path, BRIDGE)
    # The old rule ("never one hidden cell in a group") hid exactly these ten cells: every group
    # kept two, yet (110102, 103) cannot exceed its own value, 11.65: (110101 major 1 − its 105)
    # + (110102 major 1 − its 105) − national 101 − national 102 = 11.65 + the zero of 104.
    old = {
        ("110101", "101"),
        ("110101", "102"),
        ("110101", "104"),
        ("110102", "101"),
        ("110102", "102"),
        ("110102", "103"),
        (None, "103"),
        (None, "10306"),
        (None, "104"),
        (None, "10404"),
    }
    low, high = interval(reveal_except(truth, old, "revenue"), ("110102", "103"))
    assert low == pytest.approx(0.0) and high == pytest.approx(11.65)
    # Now every sensitive cell reaches 10 % both ways, in revenue and in 上年同期. The eight:
    # 110102's 101, 102, 103; 110101's 104; national 103, 10306, 104, 10404 (one enterprise each).
    assert assert_protected(document, truth, "revenue") == 8
    assert assert_protected(document, truth, "revenue_prior") == 8
    row = next(
        r for r in document["regions"]["rows"] if (r["region"], r["code"]) == ("110102", "103")
    )
    assert row["suppressed"] and row["audit"]["primary"]
    assert row["audit"]["upper"] >= 11.65 * 1.1 and row["audit"]["lower"] <= 11.65 * 0.9


# Four districts in force (110103 and 110104 were merged into 110101 and 110102 in 2010).
FOUR_DISTRICTS = ["110101", "110102", "110105", "110106"]
FOUR_BY_FOUR_SINGLES = {(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3)}


def four_by_four() -> Plan:
    """sdcTable's counter-example: nine single-enterprise cells; every row and column of the 4 × 4
    table (districts × mediums) holds two of them."""
    districts = FOUR_DISTRICTS
    mediums = ["101", "102", "103", "104"]
    plan: Plan = {}
    for i, region in enumerate(districts):
        for j, medium in enumerate(mediums):
            single = (i, j) in FOUR_BY_FOUR_SINGLES
            plan[(region, medium)] = [100 + 10 * i + j] if single else [200 + i, 210 + j, 220 + i]
    return plan


def test_the_four_by_four_counter_example(tmp_path: Path) -> None:
    plan = four_by_four()
    document = protected(tmp_path, plan)
    truth = truth_of(tmp_path, plan)
    districts = FOUR_DISTRICTS
    mediums = ["101", "102", "103", "104"]
    singles = {(districts[i], mediums[j]) for i, j in FOUR_BY_FOUR_SINGLES}
    # The old rule added nothing to the nine (each row and column already held two), and rows 1
    # and 2 minus columns 101 and 102 recover (110101, 103) exactly.
    low, high = interval(reveal_except(truth, set(singles), "revenue"), ("110101", "103"))
    assert low == pytest.approx(10.2) and high == pytest.approx(10.2)
    assert assert_protected(document, truth, "revenue") == 9
    assert assert_protected(document, truth, "revenue_prior") == 9
    secondary = document["disclosure"]["secondary_cells"]
    assert 1 <= secondary <= 4  # never far more than needed


def test_dominance_takes_the_n_largest(tmp_path: Path) -> None:
    # Medium 101 of district 110101: four enterprises; the three largest hold 95 %, the two
    # largest 70 %.
    plan: Plan = {("110101", "101"): [400, 300, 250, 50], ("110101", "102"): [300, 310, 320]}
    document = protected(tmp_path, plan, "--dominance", "3,90")
    rows = {r["code"]: r for r in document["rows"]}
    assert rows["101"]["suppressed"] and rows["101"]["audit"]["primary"]
    two = protected(tmp_path, plan, "--dominance", "2,90")
    assert not {r["code"]: r for r in two["rows"]}["101"]["suppressed"]


def test_the_audit_is_reported(tmp_path: Path) -> None:
    document = protected(tmp_path, four_by_four())
    disclosure = document["disclosure"]
    assert disclosure["protection_pct"] == 10.0
    assert disclosure["primary_cells"] >= 9
    assert (
        disclosure["suppressed_cells"]
        == disclosure["primary_cells"] + disclosure["secondary_cells"]
    )
    assert 0 < disclosure["hidden_revenue_pct"]["region_medium"] < 100
    audited = [r for r in document["regions"]["rows"] if r["suppressed"]]
    assert audited and all("lower" in r["audit"] and "upper" in r["audit"] for r in audited)
    notes = openpyxl.load_workbook(tmp_path / "t.xlsx")["说明"]
    text = " ".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert "二次隐蔽" in text and "保护水平 10%" in text


def test_a_stricter_protection_level_hides_more(tmp_path: Path) -> None:
    plan = four_by_four()
    ten = protected(tmp_path, plan)["disclosure"]["suppressed_cells"]
    fifty = protected(tmp_path, plan, "--protection", "50")
    assert fifty["disclosure"]["suppressed_cells"] >= ten
    assert assert_protected(fifty, truth_of(tmp_path, plan), "revenue", level=0.5) == 9


cell_plan = st.dictionaries(
    st.tuples(
        st.sampled_from(["110101", "110102", "110105"]), st.sampled_from(["101", "102", "103"])
    ),
    st.lists(st.integers(1, 500).map(float), min_size=1, max_size=4),
    min_size=2,
    max_size=9,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cell_plan)
def test_property_the_attacker_never_narrows_a_sensitive_cell(plan: Plan) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "q.csv", plan)
        result = measure(MeasureOptions([path], period="2024Q3", disclosure=DisclosureRules()))
        document = result_json(result)
        truth = result_json(measure(MeasureOptions([path], period="2024Q3")))
    assert_protected(document, truth, "revenue")
    assert_protected(document, truth, "revenue_prior")


def test_a_confidential_workbook_lists_no_enterprise(tmp_path: Path) -> None:
    """The hand-made quarter has 5 rejected and 4 flagged rows. A --confidential workbook is
    published as it is, so it may not show any unit's credit code, name or reported figures;
    the 数据质量 sheet counts them by reason and the full list (for checking inside the
    office) goes to the CSV beside the workbook."""
    path = fixtures.write_csv(tmp_path / "q.csv")
    result = runner.invoke(app, fixtures.measure_args(path, "--confidential"))
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    printed = {
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    units = {text for row in fixtures.ROWS for text in row[:2] if text}
    assert printed & units == set()
    sheet = book["数据质量"]
    counts = {
        row[1]: row[2] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1] is not None
    }
    rejected = (
        "duplicate_credit_code",
        "industry_code_malformed",
        "industry_code_missing",
        "revenue_not_numeric",
        "industry_code_section_mismatch",
    )
    flagged = ("credit_code_check_failed", "region_missing", "name_missing", "revenue_negative")
    assert counts == {
        **{LABELS[key]: 1 for key in rejected + flagged},
        "剔除的行": 5,
        "有质量标记的保留行": 4,
    }
    beside = tmp_path / "t-数据质量.csv"
    assert beside.name in str(sheet["A1"].value) and "不得公开" in str(sheet["A1"].value)
    listed = list(csv.DictReader(beside.open(encoding="utf-8-sig")))
    assert sorted(int(r["行号"]) for r in listed) == [4, 5, 6, 8, 9, 10, 11, 13, 14]


@pytest.mark.parametrize("dominated", [True, False])
def test_a_confidential_run_publishes_no_figure_the_tables_hide(
    tmp_path: Path, dominated: bool
) -> None:
    """Beside the audited tables, 说明 and the JSON carry the reconciliation: revenue read, not
    digital, rejected (by reason, by file), the file's own 合计 row. One enterprise outside the
    digital scope (己, 3921: 1,234 千元) and one rejected row (99999: 7,777 千元) are each one
    unit's figure, and read = digital + not digital + rejected gives them away by subtraction: a
    confidential run publishes none of them. The digital total is the tables' 合计 cell: shown
    when that cell is (five even enterprises), hidden when it is (one holds 99.98%)."""
    first = "1000000" if dominated else "100"
    digital = [first, "100", "100", "100", "100"]
    lines = ["统一社会信用代码,单位详细名称,行业代码,区划代码,营业收入,营业收入上年同期"]
    for n, revenue in enumerate(digital, start=1):
        lines.append(f"{fixtures.code(f'91110105MB{n:07d}')},企业{n},3911,110105,{revenue},90")
    lines.append(f"{fixtures.code('91110105MB0000006')},己,3921,110105,1234,1000")
    lines.append(f"{fixtures.code('91110105MB0000007')},庚,99999,110105,7777,5000")
    lines.append(",合计,,,9999999,")  # the file's own total, not equal to the rows' sum
    path = tmp_path / "q.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, fixtures.measure_args(path, "--confidential", "--json", "-"))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    total = next(r for r in document["rows"] if r["level"] == "total")
    assert total["suppressed"] is dominated
    digital_wan = sum(float(r) for r in digital) / 10
    # Amounts in 万元 that are one unit's data, or give one away: not digital (己), rejected
    # (庚), read, the 合计 row's figure and the rows' sum it is compared with.
    read = digital_wan + 123.4 + 777.7
    secret = {123.4, 777.7, round(read, 2), 999999.9}
    reconciliation = document["reconciliation"]
    assert reconciliation["rows_not_digital"] == 1 and reconciliation["rows_rejected"] == 1
    assert [reconciliation[f"revenue_{k}"] for k in ("read", "not_digital", "rejected")] == [
        None,
        None,
        None,
    ]
    assert reconciliation["total_revenue"] is None
    assert reconciliation["revenue_digital"] == (None if dominated else pytest.approx(digital_wan))
    assert document["rejects_by_reason"]["industry_code_malformed"] == {
        "rows": 1,
        "revenue": None,
    }
    (source,) = document["provenance"]["inputs"]
    assert [source[k] for k in ("revenue_read", "total_revenue", "control_revenue")] == [None] * 3
    assert document["comparison"]["unmatched_revenue"] is None
    said = json.dumps(document, ensure_ascii=False)
    assert "9999999" not in said and "99999.99" not in said
    # The workbook as printed: no such figure anywhere; 说明 shows × where it withholds one.
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    numbers = {
        round(float(value), 1)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, int | float)
    }
    assert numbers & {round(s, 1) for s in secret} == set()
    assert (round(digital_wan, 1) in numbers) is not dominated
    notes = [row for row in book["说明"].iter_rows(values_only=True)]
    rejected = next(row for row in notes if row[0] == "  剔除")
    assert rejected[3:5] == (1, "×")
    warned = " ".join(str(row[1]) for row in notes if row[0] == "total_row_mismatch")
    assert warned and "9999999" not in warned and "9,999,999" not in warned
    # The operator's screen is not published: it shows the whole reconciliation.
    assert "777.70" in result.stderr and "9,999,999" in result.stderr


def test_the_hidden_share_is_not_published_when_the_total_is_hidden(tmp_path: Path) -> None:
    """One enterprise holds 100,000 of 100,330 千元: the 合计 is hidden (dominance), and so is
    its medium 101; medium 102 (100 + 110 + 120) is visible. Were the share of revenue hidden
    published (99.67%), the total would follow from it: 330 ÷ (1 − 0.9967). With the total
    visible the share says nothing new (the total less the visible cells); with it hidden, it is
    not published."""
    plan: Plan = {("110101", "101"): [100000], ("110101", "102"): [100, 110, 120]}
    document = protected(tmp_path, plan)
    total = next(r for r in document["rows"] if r["level"] == "total")
    assert total["suppressed"] and total["revenue"] is None
    assert document["disclosure"]["hidden_revenue_pct"] == {"minor": None, "region_medium": None}
    notes = openpyxl.load_workbook(tmp_path / "t.xlsx")["说明"]
    said = next(str(row[1]) for row in notes.iter_rows(values_only=True) if row[0] == "隐蔽单元格")
    assert "%" not in said.split("保护水平")[1].replace("10%", ""), said
    assert "合计隐蔽" in said
    visible: Plan = {
        ("110101", "101"): [100],
        ("110101", "102"): [100, 110, 120],
        ("110101", "103"): [200, 210, 220],
    }
    shown = protected(tmp_path, visible)
    truth = {r["code"]: r["revenue"] for r in truth_of(tmp_path, visible)["rows"]}
    hidden = sum(
        truth[r["code"]] for r in shown["rows"] if r["level"] == "minor" and r["suppressed"]
    )
    assert 0 < hidden < truth[""]  # the total is visible, and 101 with a cell protecting it hidden
    share = shown["disclosure"]["hidden_revenue_pct"]["minor"]
    assert share == pytest.approx(hidden / truth[""] * 100)


def test_a_visible_cell_gives_no_ratio_to_a_hidden_total(tmp_path: Path) -> None:
    """The 合计 of 100,330 千元 is hidden (dominance); medium 102 (330) is not. Its share of the
    total (0.3289%) would give the total back, 330 ÷ 0.003289, and with it the one enterprise
    of 101 (100,000): a visible cell publishes no share, share change, 拉动 or 贡献率 of a hidden
    total, in the category tables and the region tables alike."""
    plan: Plan = {("110101", "101"): [100000], ("110101", "102"): [100, 110, 120]}
    document = protected(tmp_path, plan)
    ratios = ("share_pct", "share_change_pp", "pull_pp", "contribution_pct")
    for rows in (document["rows"], document["regions"]["rows"]):
        medium = next(r for r in rows if r["code"] == "102")
        assert not medium["suppressed"] and medium["revenue"] == pytest.approx(33.0)
        assert medium["yoy_pct"] == pytest.approx(0.0)  # its own growth: the cell alone
        assert [medium[k] for k in ratios] == [None] * 4
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["中类"]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "102")
    assert row[3] == pytest.approx(33.0) and all(v in ("×", "—", None) for v in row[7:])
    assert "0.3" not in " ".join(str(v) for v in row[7:])
