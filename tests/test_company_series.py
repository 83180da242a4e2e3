"""Issue 13: which category is this company in, and how have the categories moved?

tests/data/series/ holds three cumulative quarters of 2024 (千元) for five enterprises:

    enterprise  class (minor)          region  Q1   Q2   Q3   上年同期 Q1/Q2/Q3
    甲 A        5292 (40202)           110105  100  250  400   80/200/320
    乙 B        6422 (30303)           110108   50  120  200   40/100/160
    丙 C        3921 (not digital)     110105  300  600  900  280/560/850
    丁 D        5211 (50602, 52*)      110108  200  420  650  180/400/600
    字节跳动 E  6429 (30304, 6429*)    110105   10   30   60    5/ 20/ 50

and in Q3 a second row of A (999), rejected as a repeated credit code. Digital totals: 360, 820
and 1,310 千元 = 36.0, 82.0, 131.0 万元; single quarters 36.0, 46.0, 49.0.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from digicons.cli import app
from tests import fixtures

DATA = Path(__file__).parent / "data" / "series"
SAMPLE = Path(__file__).parent.parent / "data" / "sample"
A = fixtures.code("91110105MC0000001")
runner = CliRunner()


def company(*args: str) -> Any:
    return runner.invoke(app, ["company", *args])


def test_company_by_credit_code(tmp_path: Path) -> None:
    # Case and spaces are ignored.
    query = [A[:6].lower(), A[6:12], A[12:]]
    result = company(*query, "--in", str(DATA / "2024Q3.csv"), "--json")
    assert result.exit_code == 0, result.stderr
    kept, repeated = json.loads(result.stdout)
    assert (kept["row"], kept["status"], kept["reason"]) == (2, "digital", None)
    assert kept["minor"] == {"code": "40202", "name": "互联网零售"}
    assert kept["medium"]["code"] == "402" and kept["major"]["code"] == "4"
    assert kept["partial"] is False and kept["matched"] == "5292"
    assert (kept["revenue"], kept["revenue_prior"], kept["unit"]) == (40.0, 32.0, "万元")
    assert (kept["region"], kept["region_name"]) == ("110105", "朝阳区")
    shares = {(c["level"], c["code"], c["region"]): c["share_pct"] for c in kept["cells"]}
    # 400 of the 1,310 digital 千元; all of 40202 and 402; 400 of the 460 of 110105 (A and E).
    assert shares[("total", "", None)] == pytest.approx(400 / 1310 * 100)
    assert shares[("minor", "40202", None)] == pytest.approx(100.0)
    assert shares[("medium", "402", None)] == pytest.approx(100.0)
    assert shares[("total", "", "110105")] == pytest.approx(400 / 460 * 100)
    assert shares[("medium", "402", "110105")] == pytest.approx(100.0)
    assert (repeated["row"], repeated["status"], repeated["reason"]) == (
        7,
        "rejected",
        "duplicate_credit_code",
    )
    assert repeated["kept_at"]["row"] == 2 and repeated["cells"] == []


def test_company_names_the_sheet_it_found_the_row_in(tmp_path: Path) -> None:
    header: list[object] = ["统一社会信用代码", "单位名称", "行业代码", "营业收入"]
    path = fixtures.sheets_book(
        tmp_path / "q.xlsx", {"东城区": [header], "西城区": [header, [A, "甲", "5292", 10]]}
    )
    result = company(A, "--in", str(path), "-p", "2024Q3", "--sheet", "all", "--json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert (Path(row["file"]).name, row["row"]) == ("q.xlsx【西城区】", 2)
    measured = runner.invoke(
        app,
        [
            "measure",
            str(path),
            "-p",
            "2024Q3",
            "--sheet",
            "all",
            "--json",
            "-",
            "-o",
            str(tmp_path / "t.xlsx"),
        ],
    )
    inputs = json.loads(measured.stdout)["inputs"]
    assert [Path(p).name for p in inputs] == ["q.xlsx【东城区】", "q.xlsx【西城区】"]


def test_company_by_credit_code_finds_it_however_it_was_read(tmp_path: Path) -> None:
    """Rows whose code was read in another form (lower case, full-width, padded) are the same
    enterprise; the search by code must find them as well as the plain one."""
    path = tmp_path / "q.csv"
    full_width = A.lower().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    lines = DATA.joinpath("2024Q3.csv").read_text(encoding="utf-8").splitlines()
    lines += [f" {full_width} ,北京甲网络科技有限公司,5292,110105,5,4,2024Q3"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = company(A, "--in", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert [(r["row"], r["status"], r["reason"]) for r in found] == [
        (2, "digital", None),
        (7, "rejected", "duplicate_credit_code"),
        (len(lines), "rejected", "duplicate_credit_code"),
    ]
    assert found[-1]["credit_code"] == f" {full_width} "  # shown as read


def test_company_by_words_of_its_name() -> None:
    result = company("字节", "跳动", "--in", str(DATA / "2024Q3.csv"), "--json")
    assert result.exit_code == 0, result.stderr
    (found,) = json.loads(result.stdout)
    assert found["name"] == "北京字节跳动科技有限公司"
    assert found["minor"]["code"] == "30304" and found["partial"] is True
    assert found["matched"] == "6429*"
    total = next(c for c in found["cells"] if c["level"] == "total" and c["region"] is None)
    assert total["share_pct"] == pytest.approx(60 / 1310 * 100)


def test_company_weighs_as_measure_treats_partial_industries(tmp_path: Path) -> None:
    # 丁 D: 5211 (50602, 52*), 650 千元. At a share of 0.4 it counts 260; the digital total is
    # 400 + 200 + 260 + 60 = 920 (E, 6429*, has no share: in full).
    shares = tmp_path / "shares.csv"
    shares.write_text("minor,share\n50602,0.4\n", encoding="utf-8")
    given = ["丁百货", "--in", str(DATA / "2024Q3.csv"), "--partial", "shares"]
    result = company(*given, "--partial-file", str(shares), "--json")
    assert result.exit_code == 0, result.stderr
    (found,) = json.loads(result.stdout)
    assert (found["status"], found["weight"], found["partial_treatment"]) == (
        "digital",
        0.4,
        "shares",
    )
    total = next(c for c in found["cells"] if c["level"] == "total" and c["region"] is None)
    assert total["share_pct"] == pytest.approx(260 / 920 * 100)
    minor = next(c for c in found["cells"] if c["level"] == "minor")
    assert minor["share_pct"] == pytest.approx(100.0)
    shown = company(*given, "--partial-file", str(shares))
    # The share and what it comes to: 40% of 65.00 万元.
    assert "按系数折算" in shown.stdout and "计入 40%，即 26.00" in shown.stdout
    excluded = company("丁百货", "--in", str(DATA / "2024Q3.csv"), "--partial", "exclude", "--json")
    (found,) = json.loads(excluded.stdout)
    assert (found["status"], found["weight"], found["cells"]) == ("not_digital", 0.0, [])


def test_company_in_the_single_quarter() -> None:
    # 丁 D: 650 − 420 = 230 千元 in the third quarter alone, of a digital 490 (1,310 − 820).
    given = ["丁百货", "--in", str(DATA / "2024Q3.csv"), "--json"]
    result = company(*given, "--quarter-only", str(DATA / "2024Q2.csv"))
    assert result.exit_code == 0, result.stderr
    (found,) = json.loads(result.stdout)
    assert found["revenue"] == pytest.approx(23.0)
    total = next(c for c in found["cells"] if c["level"] == "total" and c["region"] is None)
    assert total["share_pct"] == pytest.approx(230 / 490 * 100)


def test_company_in_a_terminal() -> None:
    result = company("字节跳动", "--in", str(DATA / "2024Q3.csv"))
    assert result.exit_code == 0, result.stderr
    for text in ("北京字节跳动科技有限公司", "30304", "6429*", "数字消费", "占比"):
        assert text in result.stdout


def test_company_not_found_exits_1() -> None:
    result = company("不存在的公司", "--in", str(DATA / "2024Q3.csv"))
    assert result.exit_code == 1 and "没有找到" in result.stderr


def test_company_with_many_matches_lists_fifty() -> None:
    result = company("北京", "--in", str(SAMPLE), "-p", "2024Q3", "--json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 50 and "3,000" in result.stderr


def measured(tmp_path: Path, *extra: str) -> list[Path]:
    paths = []
    for quarter in (1, 2, 3):
        out = tmp_path / f"2024Q{quarter}.json"
        result = runner.invoke(
            app,
            [
                "measure",
                str(DATA / f"2024Q{quarter}.csv"),
                "-o",
                str(tmp_path / f"2024Q{quarter}.xlsx"),
                "--json",
                str(out),
                *extra,
            ],
        )
        assert result.exit_code == 0, result.stderr
        paths.append(out)
    return paths


def series(*paths: Path, output: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["series", *map(str, paths), "-o", str(output), "--json", "-"])
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def values(document: dict[str, Any], code: str) -> list[dict[str, Any]]:
    row = next(r for r in document["rows"] if r["code"] == code)
    return row["values"]  # type: ignore[no-any-return]


def test_series_of_three_quarters(tmp_path: Path) -> None:
    q1, q2, q3 = measured(tmp_path)
    document = series(q3, q1, q2, output=tmp_path / "s.xlsx")  # ordered by period
    assert document["periods"] == ["2024Q1", "2024Q2", "2024Q3"]
    total = values(document, "")
    assert [v["revenue"] for v in total] == pytest.approx([36.0, 82.0, 131.0])
    assert [v["quarter_revenue"] for v in total] == pytest.approx([36.0, 46.0, 49.0])
    assert total[2]["yoy_pct"] == pytest.approx((1310 / 1130 - 1) * 100)
    assert [v["quarter_revenue"] for v in values(document, "3")] == pytest.approx([6.0, 9.0, 11.0])
    assert [v["quarter_revenue"] for v in values(document, "5")] == pytest.approx(
        [20.0, 22.0, 23.0]
    )
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert book.sheetnames == ["大类", "中类", "小类"]
    sheet = book["大类"]
    periods = [str(c.value) for c in sheet[3] if c.value]
    assert periods == ["2024年1季度", "2024年1-2季度", "2024年1-3季度"]
    total_row = next(r for r in sheet.iter_rows(min_row=5) if r[1].value == "合计*")
    assert [c.value for c in total_row[2:]] == pytest.approx(
        [36.0, round((360 / 305 - 1) * 100, 1), 36.0, 82.0, 13.9, 46.0, 131.0, 15.9, 49.0]
    )
    assert sheet.page_setup.paperSize == 9 and sheet.print_title_rows
    title = next(c for c in sheet["A"] if str(c.value or "").startswith("图表数据"))
    assert title.value == "图表数据：各大类单季营业收入"
    # The chart plots single quarters, so its categories name single quarters.
    assert [c.value for c in sheet[title.row + 1][1:5]] == [
        "大类",
        "2024年\n第1季度",
        "2024年\n第2季度",
        "2024年\n第3季度",
    ]
    assert [c.value for c in sheet[title.row + 6][1:5]] == ["数字化效率提升服务业*", 20, 22, 23]


def test_a_missing_quarter_leaves_a_gap(tmp_path: Path) -> None:
    q1, _, q3 = measured(tmp_path)
    document = series(q1, q3, output=tmp_path / "s.xlsx")
    assert [v["quarter_revenue"] for v in values(document, "")] == [pytest.approx(36.0), None]
    assert any("2024Q2" in note for note in document["notes"])


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (("--partial", "exclude"), "不计入（下限口径） ≠ 全部计入（上限口径）"),
        (("--confidential",), "最少 3 家企业"),
    ],
)
def test_series_names_settings_that_differ_in_words(
    tmp_path: Path, extra: tuple[str, ...], said: str
) -> None:
    q1 = measured(tmp_path)[0]
    other = tmp_path / "other"
    other.mkdir()
    q2 = measured(other, *extra)[1]
    result = runner.invoke(app, ["series", str(q1), str(q2), "-o", str(tmp_path / "s.xlsx")])
    assert result.exit_code == 3 and said in result.stderr, result.stderr
    assert "None" not in result.stderr and "85.0)" not in result.stderr


def test_series_takes_each_quarters_own_shares_file(tmp_path: Path) -> None:
    # 丁 D (5211, 52*) counts at the share of its quarter's file: 0.4, 0.5, 0.5 of 200, 420 and
    # 650 千元. Digital: Q1 100 + 50 + 80 + 10 = 240; Q2 250 + 120 + 210 + 30 = 610; Q3 400 +
    # 200 + 325 + 60 = 985 千元; single quarters 24.0, 37.0, 37.5 万元.
    paths = []
    for quarter, share in ((1, "0.4"), (2, "0.5"), (3, "0.5")):
        shares = tmp_path / f"shares_2024Q{quarter}.csv"
        shares.write_text(f"minor,share\n50602,{share}\n", encoding="utf-8")
        out = tmp_path / f"2024Q{quarter}.json"
        result = runner.invoke(
            app,
            [
                "measure",
                str(DATA / f"2024Q{quarter}.csv"),
                *("--partial", "shares", "--partial-file", str(shares)),
                *("-o", str(tmp_path / f"2024Q{quarter}.xlsx"), "--json", str(out)),
            ],
        )
        assert result.exit_code == 0, result.stderr
        paths.append(out)
    document = series(*paths, output=tmp_path / "s.xlsx")
    total = values(document, "")
    assert [v["revenue"] for v in total] == pytest.approx([24.0, 61.0, 98.5])
    assert [v["quarter_revenue"] for v in total] == pytest.approx([24.0, 37.0, 37.5])
    # The note names each quarter's file: the treatment is one, the files differ.
    note = openpyxl.load_workbook(tmp_path / "s.xlsx")["大类"]
    said = " ".join(str(c.value) for row in note.iter_rows() for c in row if c.value)
    assert "按系数折算" in said
    assert all(f"shares_2024Q{q}.csv" in said for q in (1, 2, 3)), said
    listed = tmp_path / "listed.json"
    names = tmp_path / "list.csv"
    names.write_text("91110105MC0000004F\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "measure",
            str(DATA / "2024Q2.csv"),
            *("--partial", "list", "--partial-file", str(names)),
            *("-o", str(tmp_path / "l.xlsx"), "--json", str(listed)),
        ],
    )
    assert result.exit_code == 0, result.stderr
    refused = runner.invoke(
        app, ["series", str(paths[0]), str(listed), "-o", str(tmp_path / "x.xlsx")]
    )
    assert refused.exit_code == 3 and "按企业名单计入 ≠ 按系数折算" in refused.stderr, (
        refused.stderr
    )


def test_series_refuses_results_that_do_not_match(tmp_path: Path) -> None:
    q1, _, q3 = measured(tmp_path)
    twice = tmp_path / "again.json"
    shutil.copy(q1, twice)
    same = runner.invoke(app, ["series", str(q1), str(twice), "-o", str(tmp_path / "s.xlsx")])
    assert same.exit_code == 3 and "again.json" in same.stderr and "2024Q1" in same.stderr
    other = tmp_path / "other"
    other.mkdir()
    (yi,) = measured(other, "--unit", "亿元")[1:2]
    mixed = runner.invoke(
        app, ["series", str(q1), str(yi), str(q3), "-o", str(tmp_path / "s.xlsx")]
    )
    assert mixed.exit_code == 3 and "unit" in mixed.stderr and str(yi) in mixed.stderr
    single = tmp_path / "single.json"
    result = runner.invoke(
        app,
        [
            "measure",
            str(DATA / "2024Q3.csv"),
            "--quarter-only",
            str(DATA / "2024Q2.csv"),
            "-o",
            str(tmp_path / "q.xlsx"),
            "--json",
            str(single),
        ],
    )
    assert result.exit_code == 0, result.stderr
    refused = runner.invoke(app, ["series", str(q1), str(single), "-o", str(tmp_path / "s.xlsx")])
    assert refused.exit_code == 3 and "single.json" in refused.stderr


def test_suppressed_cells_stay_suppressed_in_every_derived_figure(tmp_path: Path) -> None:
    paths = measured(tmp_path, "--confidential")
    document = series(*paths, output=tmp_path / "s.xlsx")
    seen = 0
    for row in document["rows"]:
        for before, now in zip(row["values"], row["values"][1:], strict=False):
            if now["suppressed"]:
                assert now["revenue"] is None and now["yoy_pct"] is None
                assert now["quarter_revenue"] is None and now["quarter_suppressed"]
                seen += 1
            if before["suppressed"]:
                assert now["quarter_revenue"] is None and now["quarter_suppressed"]
    assert seen > 0


# Text from the data or the command line that rich would read as its markup (a closing tag, a
# style, an emoji code, an escaped bracket): it crashed the command with a traceback (MarkupError,
# again while reporting the error) or was printed altered.
MARKUP = "京[/]甲[bold]乙:cat:\\[丙]"


def test_company_prints_names_as_they_are(tmp_path: Path) -> None:
    source = tmp_path / "q.csv"
    source.write_text(
        f"统一社会信用代码,单位详细名称,行业代码,营业收入\n{A},{MARKUP},5292,10\n", encoding="utf-8"
    )
    result = company(A, "--in", str(source), "-p", "2024Q3")
    assert result.exit_code == 0, result.output
    assert MARKUP in result.stdout
    result = company(MARKUP, "--in", str(source), "-p", "2024Q3")
    assert result.exit_code == 0, result.output
    assert f"企业归类查询：{MARKUP}" in result.stdout


def test_errors_print_paths_and_queries_as_they_are(tmp_path: Path) -> None:
    missing = tmp_path / f"{MARKUP}.csv"
    result = runner.invoke(app, ["measure", str(missing), "-p", "2024Q3"])
    assert result.exit_code == 3, result.output
    assert f"{MARKUP}.csv" in result.stderr.replace("\n", "")
    result = runner.invoke(app, ["classify", MARKUP])
    assert result.exit_code == 1, result.output
    assert repr(MARKUP) in result.stderr.replace("\n", "")
