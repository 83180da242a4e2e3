"""Issue 8: runs that used to give wrong numbers with exit status 0. Each test failed on the code
before its fix; the expectations are computed by hand in the comments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from digicons.cli import app
from tests import fixtures

runner = CliRunner()
HEADER = "统一社会信用代码,单位详细名称,行业代码,区划代码,营业收入,营业收入上年同期\n"


def write(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def run_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json", "-"])
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_region_total_bounds_cover_digital_rows_only(tmp_path: Path) -> None:
    a, b, c = (fixtures.code(f"91110105MA00007{i:02d}") for i in range(3))
    path = write(
        tmp_path / "q.csv",
        f"{a},网店,5292,110105,1000,",  # digital, not partial
        f"{b},百货,5211,110105,400,",  # digital, partial (52*)
        f"{c},制造,3921,110105,5000,",  # not digital
    )
    document = run_json(*fixtures.measure_args(path, "--bounds"))
    rows = {(r["region"], r["code"]): r for r in document["regions"]["rows"]}
    total = rows[("110105", "")]
    # Lower: only the non-partial row (1000 千元 = 100 万元); upper: both digital rows (140).
    # The 5,000 千元 of the manufacturer is not digital consumption and must not appear.
    assert total["revenue"] == 140.0
    assert total["revenue_lower"] == 100.0
    assert total["revenue_upper"] == 140.0
    majors = [r for (region, _), r in rows.items() if region == "110105" and r["level"] == "major"]
    assert sum(r["revenue_upper"] for r in majors) == total["revenue_upper"]
    assert sum(r["revenue_lower"] for r in majors) == total["revenue_lower"]


def quarters(tmp_path: Path) -> tuple[Path, Path]:
    a, b, c = (fixtures.code(f"91110105MA00008{i:02d}") for i in range(3))
    q3 = write(
        tmp_path / "q3.csv",
        f"{a},甲,5292,110105,1000,800",
        f"{a},甲（重复）,5292,110105,100,90",  # a repeated code: rejected
        f"{b},乙,ABCD,110105,600,500",  # malformed industry code: rejected
    )
    q2 = write(
        tmp_path / "q2.csv",
        f"{a},甲,5292,110105,700,500",
        f"{b},乙,5292,110105,400,300",
        f"{c},丙,5292,110105,50,40",  # gone in the third quarter
    )
    return q3, q2


def quarter_only(tmp_path: Path) -> dict[str, Any]:
    q3, q2 = quarters(tmp_path)
    return run_json(*fixtures.measure_args(q3, "--quarter-only", str(q2)))


def test_quarter_only_rejects_are_charged_their_own_value(tmp_path: Path) -> None:
    document = quarter_only(tmp_path)
    # An enterprise's previous cumulative value is subtracted once, from its first row: the kept
    # row of A gives 1000 − 700 = 300 千元. The repeated row of A is rejected with its own value,
    # 100 千元; subtracting A's 700 again would give −600 in the reject line.
    by_reason = document["rejects_by_reason"]
    assert by_reason["duplicate_credit_code"]["revenue"] == 10.0
    # B's only row is rejected for its industry code: 600 − 400 = 200 千元.
    assert by_reason["industry_code_malformed"]["revenue"] == 20.0
    assert document["rows"][0]["revenue"] == 30.0
    for entry in by_reason.values():
        assert entry["revenue"] >= 0


def test_quarter_only_counts_rejected_enterprises_as_present(tmp_path: Path) -> None:
    quarter = quarter_only(tmp_path)["quarter_only"]
    # B is in the current file (rejected for its industry code): present, not vanished.
    # Only C (50 千元 in the second quarter) has vanished.
    assert quarter["vanished_enterprises"] == 1
    assert quarter["vanished_revenue"] == 5.0
    assert quarter["rejected_enterprises"] == 1


def test_rejects_by_reason_add_up_to_the_rejected_rows(tmp_path: Path) -> None:
    path = fixtures.write_csv(tmp_path / "q.csv")
    document = run_json(*fixtures.measure_args(path))
    by_reason = document["rejects_by_reason"]
    rec = document["reconciliation"]
    assert sum(e["rows"] for e in by_reason.values()) == rec["rows_rejected"]
    assert sum(e["revenue"] for e in by_reason.values()) == rec["revenue_rejected"]
