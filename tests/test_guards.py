"""Issue 8: a wrong run never looks like a good one. Guards on the inputs, errors that say what
happened, outputs that never destroy anything, and provenance."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from digicons import __version__
from digicons.cli import app
from tests import fixtures

runner = CliRunner()
HEADER = "统一社会信用代码,单位详细名称,行业代码,区划代码,营业收入,营业收入上年同期,报告期\n"
A, B = fixtures.code("91110105MA0000501"), fixtures.code("91110105MA0000502")


def quarter(path: Path, period: str, a: int = 1000, b: int = 500, title: str = "") -> Path:
    path.write_text(
        title
        + HEADER
        + f"{A},甲,5292,110105,{a},{a - 100},{period}\n{B},乙,5211,110105,{b},{b - 100},{period}\n",
        encoding="utf-8",
    )
    return path


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def measure_json(path: Path, *extra: str) -> dict[str, Any]:
    result = invoke(*fixtures.measure_args(path, "--json", "-", *extra))
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


# Files of the wrong period -------------------------------------------------------------------


def test_quarter_only_refuses_last_years_file(tmp_path: Path) -> None:
    q3 = quarter(tmp_path / "q3.csv", "2024Q3")
    last_year = quarter(tmp_path / "ly.csv", "2023Q3")
    result = invoke(*fixtures.measure_args(q3, "--quarter-only", str(last_year)))
    assert result.exit_code == 3
    assert "ly.csv" in result.stderr and "2023Q3" in result.stderr and "2024Q2" in result.stderr


def test_quarter_only_refuses_the_input_itself(tmp_path: Path) -> None:
    q3 = quarter(tmp_path / "q3.csv", "2024Q3")
    itself = invoke(*fixtures.measure_args(q3, "--quarter-only", str(q3)))
    assert itself.exit_code == 3 and "q3.csv" in itself.stderr
    copy = tmp_path / "copy.csv"
    shutil.copy(q3, copy)
    same_content = invoke(*fixtures.measure_args(q3, "--quarter-only", str(copy)))
    assert same_content.exit_code == 3 and "copy.csv" in same_content.stderr


def test_prior_refuses_a_file_of_another_quarter(tmp_path: Path) -> None:
    q3 = quarter(tmp_path / "q3.csv", "2024Q3")
    q2 = quarter(tmp_path / "q2.csv", "2024Q2")
    result = invoke(*fixtures.measure_args(q3, "--prior", str(q2)))
    assert result.exit_code == 3
    assert "q2.csv" in result.stderr and "2024Q2" in result.stderr and "2023Q3" in result.stderr


def test_prior_of_the_same_quarter_a_year_before_is_accepted(tmp_path: Path) -> None:
    q3 = quarter(tmp_path / "q3.csv", "2024Q3")
    last_year = quarter(tmp_path / "ly.csv", "2023Q3", 800, 400)
    document = measure_json(q3, "--prior", str(last_year))
    # 1500 now against 1200 a year ago.
    assert document["rows"][0]["yoy_pct"] == pytest.approx(25.0)
    assert document["warnings"] == []


def test_the_period_of_a_side_file_is_read_from_its_title_rows(tmp_path: Path) -> None:
    q3 = quarter(tmp_path / "q3.csv", "2024Q3")
    titled = tmp_path / "ly.csv"
    titled.write_text(
        "规模以上服务业企业财务状况（2023年1-3季度）\n单位：千元\n"
        f"统一社会信用代码,营业收入\n{A},800\n",
        encoding="utf-8",
    )
    assert measure_json(q3, "--prior", str(titled))["warnings"] == []
    titled.write_text(
        f"规模以上服务业企业财务状况（2023年1-2季度）\n统一社会信用代码,营业收入\n{A},800\n",
        encoding="utf-8",
    )
    wrong = invoke(*fixtures.measure_args(q3, "--prior", str(titled)))
    assert wrong.exit_code == 3 and "2023Q2" in wrong.stderr


def test_a_side_file_without_period_is_accepted_with_a_warning(tmp_path: Path) -> None:
    q3 = quarter(tmp_path / "q3.csv", "2024Q3")
    plain = tmp_path / "ly.csv"
    plain.write_text(f"统一社会信用代码,营业收入\n{A},800\n", encoding="utf-8")
    result = invoke(*fixtures.measure_args(q3, "--prior", str(plain), "--json", "-"))
    assert result.exit_code == 0
    (warning,) = json.loads(result.stdout)["warnings"]
    assert warning["code"] == "period_unknown" and "ly.csv" in warning["message"]
    assert "ly.csv" in result.stderr


def test_a_side_file_in_another_unit_is_refused(tmp_path: Path) -> None:
    # This quarter in 千元 (the default); last year's file says 万元 in its header, or in a
    # title row: read as 千元, 80 万元 would be 80 千元 and 同比 +1150%, not +25%.
    q3 = quarter(tmp_path / "q3.csv", "2024Q3")
    for text in ("统一社会信用代码,营业收入（万元）\n", "单位：万元\n统一社会信用代码,营业收入\n"):
        ly = tmp_path / "ly.csv"
        ly.write_text(f"2023年三季度\n{text}{A},80\n", encoding="utf-8")
        result = invoke(*fixtures.measure_args(q3, "--prior", str(ly)))
        assert result.exit_code == 3, result.output
        assert "ly.csv" in result.stderr and "万元" in result.stderr and "千元" in result.stderr
    # The same unit as the inputs, named or not, is accepted.
    ly.write_text(f"2023年三季度\n单位：千元\n统一社会信用代码,营业收入\n{A},800\n")
    assert measure_json(q3, "--prior", str(ly))["rows"][0]["yoy_pct"] == pytest.approx(25.0)


def test_a_side_file_naming_no_unit_beside_inputs_in_wan_yuan(tmp_path: Path) -> None:
    # This quarter says 单位：万元; last year's file says nothing (千元 by default?): a guess.
    q3 = quarter(tmp_path / "q3.csv", "2024Q3", title="单位：万元\n")
    ly = tmp_path / "ly.csv"
    ly.write_text(f"2023年三季度\n统一社会信用代码,营业收入\n{A},80\n", encoding="utf-8")
    result = invoke(*fixtures.measure_args(q3, "--prior", str(ly)))
    assert result.exit_code == 3, result.output
    assert "ly.csv" in result.stderr and "万元" in result.stderr and "--input-unit" in result.stderr
    # Said for every file with --input-unit, it is read so.
    said = measure_json(q3, "--prior", str(ly), "--input-unit", "万元")
    assert said["rows"][0]["yoy_pct"] == pytest.approx((1000 / 80 - 1) * 100)


# Nothing counted, too much rejected, growth missing -------------------------------------------


def test_a_run_where_nothing_counts_fails_with_reasons_and_examples(tmp_path: Path) -> None:
    q2 = quarter(tmp_path / "q2.csv", "2024Q2")
    result = invoke(*fixtures.measure_args(q2))
    assert result.exit_code == 3
    assert "报告期与本次统计期不符" in result.stderr
    assert "第2行" in result.stderr and "第3行" in result.stderr
    assert not (tmp_path / "t.xlsx").exists()


def test_a_run_that_reads_no_row_at_all_fails(tmp_path: Path) -> None:
    empty = tmp_path / "q.csv"
    empty.write_text(HEADER, encoding="utf-8")
    assert invoke(*fixtures.measure_args(empty)).exit_code == 3


def test_too_many_rejects_warn_and_strict_fails(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        HEADER + f"{A},甲,5292,110105,10,,2024Q3\n{B},乙,ABCD,110105,20,,2024Q3\n",
        encoding="utf-8",
    )
    document = measure_json(path)
    assert "rejected_share" in [w["code"] for w in document["warnings"]]
    relaxed = measure_json(path, "--max-rejected", "60")
    assert "rejected_share" not in [w["code"] for w in relaxed["warnings"]]
    out = tmp_path / "strict.xlsx"
    strict = invoke("measure", str(path), "-p", "2024Q3", "-o", str(out), "--strict")
    assert strict.exit_code == 1 and "--strict" in strict.stderr
    assert not out.exists()


def test_growth_that_cannot_be_computed_is_said(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(f"统一社会信用代码,单位名称,行业代码,营业收入\n{A},甲,5292,10\n", "utf-8")
    result = invoke(*fixtures.measure_args(path, "--json", "-"))
    codes = [w["code"] for w in json.loads(result.stdout)["warnings"]]
    assert codes == ["growth_unavailable"] and "同比" in result.stderr


def test_growth_without_a_value_in_the_prior_column_says_so(tmp_path: Path) -> None:
    # The column is there, its cells of the digital rows are empty or no number (#DIV/0! in a
    # workbook): "the input has no 上年同期 column" sent people looking for a column they had.
    path = tmp_path / "q.csv"
    path.write_text(
        f"统一社会信用代码,单位名称,行业代码,营业收入,营业收入上年同期\n{A},甲,5292,10,\n", "utf-8"
    )
    result = invoke(*fixtures.measure_args(path, "--json", "-"))
    (warning,) = json.loads(result.stdout)["warnings"]
    assert warning["code"] == "growth_unavailable"
    assert "没有营业收入上年同期，" not in warning["message"]
    assert "营业收入上年同期列" in warning["message"] and "没有数值" in warning["message"]
    # --prior files that hold none of this quarter's digital enterprises.
    prior = tmp_path / "2023Q3.csv"
    other = fixtures.code("91110108MC0000009")
    prior.write_text(f"统一社会信用代码,营业收入\n{other},8\n", "utf-8")
    path.write_text(f"统一社会信用代码,单位名称,行业代码,营业收入\n{A},甲,5292,10\n", "utf-8")
    result = invoke(*fixtures.measure_args(path, "--prior", str(prior), "--json", "-"))
    warnings = {w["code"]: w["message"] for w in json.loads(result.stdout)["warnings"]}
    assert "--prior 文件中没有本期数字消费企业" in warnings["growth_unavailable"]


# Silent mismatches between SQL and Python -----------------------------------------------------


def test_a_renamed_aggregate_column_is_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digicons import resources

    real = resources.sql_text

    def renamed(name: str) -> str:
        text = real(name)
        return (
            text.replace("AS revenue_prior,", "AS revenue_prior_sum,") if name == "levels" else text
        )

    monkeypatch.setattr(resources, "sql_text", renamed)
    result = invoke(*fixtures.measure_args(fixtures.write_csv(tmp_path / "q.csv")))
    assert (
        result.exit_code == 70 and "revenue_prior" in result.stderr and "--debug" in result.stderr
    )


def test_a_reason_missing_from_the_rules_table_is_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digicons.measure import rules

    monkeypatch.setattr(
        rules, "row_reason_sql", lambda: "CASE WHEN revenue_value IS NULL THEN 99 END"
    )
    result = invoke(*fixtures.measure_args(fixtures.write_csv(tmp_path / "q.csv")))
    assert result.exit_code == 70 and "99" in result.stderr


# Crashes and misleading errors ----------------------------------------------------------------


def test_confidential_with_more_issues_than_memory_holds(tmp_path: Path) -> None:
    from digicons.measure import MeasureOptions, measure
    from digicons.measure.disclosure import DisclosureRules
    from digicons.outputs import write_all
    from digicons.outputs.jsondoc import result_json
    from digicons.outputs.measured import plan_measure_outputs

    path = fixtures.write_csv(tmp_path / "q.csv")
    result = measure(
        MeasureOptions([path], period="2024Q3", issue_limit=2, disclosure=DisclosureRules())
    )
    outputs = plan_measure_outputs(
        result, result_json(result), tmp_path / "t.xlsx", rejects=tmp_path / "r.csv"
    )
    write_all(outputs)
    assert len((tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()) == 1 + 5


def test_an_error_in_our_own_sql_is_internal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digicons import resources

    real = resources.sql_text
    monkeypatch.setattr(
        resources, "sql_text", lambda name: real(name).replace("GROUP BY ALL", "GROUP BY ALLL")
    )
    result = invoke(*fixtures.measure_args(fixtures.write_csv(tmp_path / "q.csv")))
    assert result.exit_code == 70 and "--debug" in result.stderr and "CSV" not in result.stderr


def test_a_damaged_parquet_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "q.parquet"
    path.write_bytes(b"PAR1 not really")
    result = invoke(*fixtures.measure_args(path))
    assert result.exit_code == 3 and "q.parquet" in result.stderr


def test_ctrl_c_exits_130_quietly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import digicons.measure

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(digicons.measure, "measure", interrupted)
    result = invoke(*fixtures.measure_args(fixtures.write_csv(tmp_path / "q.csv")))
    assert result.exit_code == 130 and "Traceback" not in result.output
    assert "internal" not in result.output


def test_an_interrupt_a_library_dropped_stops_at_the_next_stage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signal landing in a finaliser or a weak-reference callback cannot raise: Python prints
    and drops it. The flag is set all the same, and the next progress report stops the run."""
    import digicons.measure
    from digicons import cli

    went_on: list[str] = []

    def dropped(_options: object, progress: Any) -> None:
        cli._state["interrupted"] = True  # what the handler does before its raise is dropped
        progress("下一阶段")
        went_on.append("measured the rest")

    monkeypatch.setitem(cli._state, "interrupted", False)
    monkeypatch.setattr(digicons.measure, "measure", dropped)
    result = invoke(*fixtures.measure_args(fixtures.write_csv(tmp_path / "q.csv")))
    assert result.exit_code == 130 and went_on == [] and not (tmp_path / "t.xlsx").exists()


def test_a_dropped_interrupt_prints_no_traceback() -> None:
    from types import SimpleNamespace

    from digicons.cli import _unraisable
    from digicons.errors import Interrupted

    shown: list[object] = []
    hook = _unraisable(lambda unraisable: shown.append(unraisable.exc_value))
    hook(SimpleNamespace(exc_value=Interrupted()))
    hook(SimpleNamespace(exc_value=KeyboardInterrupt()))
    other = ValueError("a real fault in a finaliser")
    hook(SimpleNamespace(exc_value=other))
    assert shown == [other]


def run_cli(args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "digicons", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


@pytest.fixture(scope="module")
def big_quarter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A quarter large enough that measuring it takes a while."""
    path = tmp_path_factory.mktemp("big") / "big.csv"
    done = runner.invoke(app, ["sample", "-n", "600000", "-o", str(path)])
    assert done.exit_code == 0
    return path


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signals_clean_up_like_ctrl_c(tmp_path: Path, big_quarter: Path, sent: int) -> None:
    scratch = tmp_path / "tmp"
    out = tmp_path / "out"
    scratch.mkdir()
    out.mkdir()
    process = run_cli(
        ["measure", str(big_quarter), "-o", str(out / "t.xlsx"), "--json", str(out / "r.json")],
        {"TMPDIR": str(scratch)},
    )
    deadline = time.monotonic() + 30
    while not any(scratch.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    process.send_signal(sent)
    _, err = process.communicate(timeout=60)
    left = [*scratch.rglob("*"), *out.iterdir()]
    assert process.returncode == 130, f"exit {process.returncode}, left {left}: {err!r}"
    assert "Traceback" not in err
    assert left == []


def limited(size: int) -> None:
    """In the child: files may not grow beyond `size` bytes (a full disk, as far as it knows)."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_a_full_disk_names_the_output_and_leaves_nothing(tmp_path: Path) -> None:
    path = fixtures.write_csv(tmp_path / "q.csv")
    out = tmp_path / "out"
    out.mkdir()
    process = run_cli(
        ["measure", str(path), "-p", "2024Q3", "-o", str(out / "t.xlsx")],
        {"TMPDIR": str(tmp_path)},
        preexec_fn=lambda: limited(4_000),
    )
    _, err = process.communicate(timeout=60)
    assert process.returncode == 4, err
    assert "t.xlsx" in err and "Traceback" not in err and "Exception ignored" not in err
    assert list(out.iterdir()) == []


def test_a_full_temporary_folder_is_an_output_error(tmp_path: Path, big_quarter: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = run_cli(
        ["measure", str(big_quarter), "-o", str(tmp_path / "t.xlsx")],
        {"TMPDIR": str(scratch)},
        preexec_fn=lambda: limited(1_000_000),
    )
    _, err = process.communicate(timeout=120)
    assert process.returncode == 4, err
    assert str(scratch) in err and "Traceback" not in err
    assert list(scratch.iterdir()) == [] and not (tmp_path / "t.xlsx").exists()


# Outputs never destroy anything ---------------------------------------------------------------


def test_an_output_that_is_an_input_or_another_output_is_refused(tmp_path: Path) -> None:
    path = fixtures.write_csv(tmp_path / "q.csv")
    before = path.read_bytes()
    rejects = invoke("measure", str(path), "-p", "2024Q3", "--rejects", str(path))
    assert rejects.exit_code == 2 and "q.csv" in rejects.stderr
    assert path.read_bytes() == before
    book = fixtures.write_xlsx(tmp_path / "q.xlsx")
    book_bytes = book.read_bytes()
    assert invoke("measure", str(book), "-p", "2024Q3", "-o", str(book)).exit_code == 2
    assert book.read_bytes() == book_bytes
    same = tmp_path / "same.xlsx"
    both = invoke("measure", str(path), "-p", "2024Q3", "-o", str(same), "--json", str(same))
    assert both.exit_code == 2 and not same.exists()


@pytest.mark.parametrize(
    ("option", "name", "content"),
    [
        ("-o", "报表.xlsx", None),  # the office's own workbook, not digicons's
        ("--json", "notes.json", '{"mine": true}'),
        ("--rejects", "清单.csv", "单位,备注\n甲,核实中\n"),
    ],
)
def test_a_file_digicons_did_not_write_is_not_overwritten(
    tmp_path: Path, option: str, name: str, content: str | None
) -> None:
    path = fixtures.write_csv(tmp_path / "q.csv")
    target = tmp_path / name
    if content is None:
        fixtures.write_xlsx(target)
    else:
        target.write_text(content, encoding="utf-8")
    before = target.read_bytes()
    extra = [option, str(target)] + ([] if option == "-o" else ["-o", str(tmp_path / "t.xlsx")])
    refused = invoke("measure", str(path), "-p", "2024Q3", *extra)
    assert refused.exit_code == 2 and name in refused.stderr and "--overwrite" in refused.stderr
    assert target.read_bytes() == before and not (tmp_path / "t.xlsx").exists()
    allowed = invoke("measure", str(path), "-p", "2024Q3", *extra, "--overwrite")
    assert allowed.exit_code == 0, allowed.stderr
    assert target.read_bytes() != before


@pytest.mark.parametrize("given", [True, False])
def test_someone_elses_file_in_an_outputs_place_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: bool
) -> None:
    # The list beside the workbook (t-数据质量.csv) and the default workbook's name
    # (digicons-2024Q3.xlsx without -o) are known before the run: a file of someone else's
    # there is refused before minutes of work, not after them.
    path = fixtures.write_csv(tmp_path / "q.csv")
    monkeypatch.chdir(tmp_path)
    theirs = tmp_path / ("t-数据质量.csv" if given else "digicons-2024Q3.xlsx")
    if given:
        theirs.write_text("我的核查记录\n", encoding="utf-8")
    else:
        fixtures.write_xlsx(theirs)
    before = theirs.read_bytes()

    def measured(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("measured before refusing")

    monkeypatch.setattr("digicons.measure.measure", measured)
    extra = ["-o", str(tmp_path / "t.xlsx")] if given else []
    refused = invoke("measure", str(path), "-p", "2024Q3", *extra)
    assert refused.exit_code == 2, refused.stderr
    assert theirs.name in refused.stderr and "--overwrite" in refused.stderr
    assert theirs.read_bytes() == before


def test_a_second_run_replaces_what_the_first_wrote(tmp_path: Path) -> None:
    path = fixtures.write_csv(tmp_path / "q.csv")
    outputs = ["--json", str(tmp_path / "r.json"), "--rejects", str(tmp_path / "r.csv")]
    for _ in range(2):
        result = invoke(*fixtures.measure_args(path, *outputs))
        assert result.exit_code == 0, result.stderr
    series = ["series", str(tmp_path / "r.json"), "-o", str(tmp_path / "s.xlsx")]
    for _ in range(2):
        result = invoke(*series, "--json", str(tmp_path / "s.json"))
        assert result.exit_code == 0, result.stderr


def test_a_workbook_of_an_earlier_version_is_replaced(tmp_path: Path) -> None:
    # Written before workbooks carried their document property: known as XlsxWriter's with the
    # sheets of a measure workbook. The same sheets saved by another program are someone's own.
    import xlsxwriter

    path = fixtures.write_csv(tmp_path / "q.csv")
    earlier = xlsxwriter.Workbook(tmp_path / "t.xlsx")
    for title in ("大类", "中类", "小类", "说明", "数据质量"):
        earlier.add_worksheet(title)
    earlier.close()
    result = invoke(*fixtures.measure_args(path))
    assert result.exit_code == 0, result.stderr
    theirs = openpyxl.Workbook()
    for title in ("大类", "中类", "小类", "说明", "数据质量"):
        theirs.create_sheet(title)
    theirs.save(tmp_path / "t.xlsx")
    assert invoke(*fixtures.measure_args(path)).exit_code == 2


def test_classify_does_not_write_over_a_file_of_someone_elses(tmp_path: Path) -> None:
    source = tmp_path / "codes.csv"
    source.write_text("名称,行业代码\n甲,5292\n", encoding="utf-8")
    theirs = tmp_path / "out.csv"
    theirs.write_text("a,b\n1,2\n", encoding="utf-8")
    args = ["classify", "--file", str(source), "-o", str(theirs)]
    assert invoke(*args).exit_code == 2 and theirs.read_text(encoding="utf-8") == "a,b\n1,2\n"
    assert invoke(*args, "--overwrite").exit_code == 0
    assert invoke(*args).exit_code == 0  # now its own


def test_the_workbook_must_be_xlsx(tmp_path: Path) -> None:
    path = fixtures.write_csv(tmp_path / "q.csv")
    result = invoke("measure", str(path), "-p", "2024Q3", "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 2 and ".xlsx" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_outputs_get_the_normal_file_mode(tmp_path: Path) -> None:
    path = fixtures.write_csv(tmp_path / "q.csv")
    old = os.umask(0o022)
    try:
        measure_json(path, "--rejects", str(tmp_path / "r.csv"))
    finally:
        os.umask(old)
    for name in ("t.xlsx", "r.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644


def test_csv_outputs_defuse_formula_looking_text(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "统一社会信用代码,单位名称,行业代码,营业收入\n"
        f'{A},"=HYPERLINK(""http://x"")",ABCD,1\n{B},+cmd,5292,-5\n',
        encoding="utf-8",
    )
    measure_json(path, "--rejects", str(tmp_path / "r.csv"))
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and '\n"=HYPERLINK' not in text
    classified = tmp_path / "codes.csv"
    classified.write_text("名称,行业代码\n@SUM(A1),5292\n", encoding="utf-8")
    out = tmp_path / "codes_out.csv"
    assert invoke("classify", "--file", str(classified), "-o", str(out)).exit_code == 0
    assert "'@SUM(A1)" in out.read_text(encoding="utf-8-sig")


def test_classify_file_keeps_numbers_as_numbers(tmp_path: Path) -> None:
    source = tmp_path / "firms.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["企业名称", "行业代码", "营业收入"])
    sheet.append(["甲", "0111", 1234.5])
    book.save(source)
    out = tmp_path / "out.xlsx"
    assert invoke("classify", "--file", str(source), "-o", str(out)).exit_code == 0
    written = openpyxl.load_workbook(out).active
    assert written is not None
    assert written["C2"].value == 1234.5 and written["B2"].value == "0111"


def test_classify_file_with_json_prints_the_rows(tmp_path: Path) -> None:
    source = tmp_path / "firms.csv"
    source.write_text("名称,行业代码\n甲,5292\n乙,ABCD\n", encoding="utf-8")
    result = invoke("classify", "--file", str(source), "--json")
    rows = json.loads(result.stdout)
    assert [r["row"] for r in rows] == [2, 3]
    assert rows[0]["minor"]["code"] == "40202" and "error" in rows[1]
    assert result.exit_code == 1  # a code that cannot be classified, as for CODE... arguments


# Provenance and language ----------------------------------------------------------------------


def test_version() -> None:
    from importlib.metadata import version

    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"digicons {__version__}"
    # Written once in the package; the installed metadata takes it from there (pyproject.toml).
    assert version("digicons") == __version__


@pytest.mark.parametrize("command", ["measure", "classify"])  # the ones with long paragraphs
def test_help_paragraphs_are_wrapped_to_the_terminal(command: str) -> None:
    # The docstrings' own line breaks were kept, then wrapped again: "… the counts" / "and sums"
    # / "reconcile. …", a line of two words in the middle of a paragraph.
    result = runner.invoke(app, [command, "--help"], terminal_width=80)
    text = result.stdout.split("╭")[0]  # the description, above the panels of options
    lines = [line.strip() for line in text.splitlines()]
    inside = [a for a, b in itertools.pairwise(lines) if a and b and not a.startswith("Usage")]
    assert inside and all(len(line) > 30 for line in inside), inside


@pytest.mark.parametrize("command", [[], ["measure"], ["classify"], ["company"], ["sample"]])
def test_help_shows_no_value_for_a_flag_and_says_how_to_give_several(command: list[str]) -> None:
    # The help showed `--bounds <bool>` and `--prior <list[Path]>`: a user who typed
    # `--bounds true` had "true" read as an input file, and `--prior a.csv b.csv` would have made
    # last year's b.csv an input of this quarter.
    # (typer's own --help shows <bool> too, in every program made with this typer: left as is)
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    options = [
        line
        for line in result.stdout.splitlines()
        if re.match(r"│\s+(\*\s+)?--", line) and "--help" not in line
    ]
    assert options and not [line for line in options if "<bool>" in line or "<list[" in line]
    if command == ["measure"]:
        prior = next(line for line in result.stdout.splitlines() if "--prior" in line)
        assert "FILE" in prior and "repeat the option" in result.stdout


def test_provenance_in_the_json_and_the_notes_sheet(tmp_path: Path) -> None:
    import hashlib

    path = fixtures.write_csv(tmp_path / "q.csv")
    document = measure_json(path)
    provenance = document["provenance"]
    assert provenance["digicons_version"] == __version__
    assert "measure" in provenance["command"] and provenance["duration_seconds"] >= 0
    assert provenance["started"].startswith("20")
    (source,) = provenance["inputs"]
    assert source["name"] == "q.csv" and source["size"] == path.stat().st_size
    assert source["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source["rows_read"] == 13
    texts = notes_text(tmp_path / "t.xlsx")
    assert source["sha256"] in texts and __version__ in texts


def notes_text(workbook: Path) -> str:
    """Every text of a workbook's 说明 sheet, in one string."""
    notes = openpyxl.load_workbook(workbook)["说明"]
    return " ".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)


def test_the_files_growth_comes_from_are_traced_too(tmp_path: Path) -> None:
    # A --prior file gives every 上年同期 and 同比: its digest belongs with the inputs'.
    import hashlib

    path = fixtures.write_csv(tmp_path / "q.csv")
    prior = tmp_path / "上年.csv"
    prior.write_text(f"统一社会信用代码,营业收入\n{fixtures.A},800\n", encoding="utf-8")
    document = measure_json(path, "--prior", str(prior))
    (side,) = document["provenance"]["side_inputs"]
    digest = hashlib.sha256(prior.read_bytes()).hexdigest()
    assert (side["side"], side["name"], side["sha256"]) == ("prior", "上年.csv", digest)
    assert side["size"] == prior.stat().st_size
    texts = notes_text(tmp_path / "t.xlsx")
    assert digest in texts and "上年.csv" in texts


@pytest.mark.parametrize("side", ["shares", "list", "codes"])
def test_the_files_that_weigh_and_classify_rows_are_traced_too(
    tmp_path: Path, side: str, request: pytest.FixtureRequest
) -> None:
    # The shares or list of --partial scale the * rows; the code table decides which codes
    # exist: their digests belong with the inputs'.
    import hashlib

    path = fixtures.write_csv(tmp_path / "q.csv")
    if side == "codes":
        file = tmp_path / "行业代码.csv"
        shutil.copy(request.getfixturevalue("reference_path"), file)
        given = ["--codes", str(file)]
    else:
        file = tmp_path / f"{side}.csv"
        file.write_text(
            "minor,share\n50602,0.5\n" if side == "shares" else f"统一社会信用代码\n{fixtures.A}\n",
            encoding="utf-8",
        )
        given = ["--partial", side, "--partial-file", str(file)]
    (entry,) = measure_json(path, *given)["provenance"]["side_inputs"]
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    assert (entry["side"], entry["name"], entry["sha256"]) == (side, file.name, digest)
    assert entry["size"] == file.stat().st_size
    texts = notes_text(tmp_path / "t.xlsx")
    assert digest in texts and file.name in texts


def test_messages_are_chinese_first(tmp_path: Path) -> None:
    missing = invoke("measure", str(tmp_path / "none.csv"), "-p", "2024Q3")
    assert missing.exit_code == 3
    message = missing.stderr.split("error:", 1)[-1].strip()
    assert "\u4e00" <= message[0] <= "\u9fff" or message.startswith(str(tmp_path))
    assert "文件不存在" in missing.stderr
    source = tmp_path / "firms.csv"
    source.write_text("名称,行业代码\n甲,\n乙,52X1\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    invoke("classify", "--file", str(source), "-o", str(out))
    explanations = [line.rsplit(",", 1)[-1] for line in out.read_text("utf-8-sig").splitlines()[1:]]
    assert all("\u4e00" <= e[0] <= "\u9fff" for e in explanations), explanations
