"""`digicons classify` and `digicons catalogue` through typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from digicons.cli import app

runner = CliRunner()


def test_classify_json_in_query_order() -> None:
    result = runner.invoke(app, ["classify", "5292", "5211", "3921", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [o["query"] for o in out] == ["5292", "5211", "3921"]
    assert out[0]["minor"] == {"code": "40202", "name": "互联网零售"}
    assert out[1]["partial"] is True and out[1]["matched"] == "52*"
    assert out[2]["digital"] is False and out[2]["minor"] is None


def test_classify_bad_codes_answer_the_rest_and_exit_1() -> None:
    result = runner.invoke(app, ["classify", "ABCD", " I6422 ", "0011", "--json"])
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert set(out[0]) == {"query", "error"} and "not an industry code" in out[0]["error"]
    assert out[1]["industry_code"] == "6422" and out[1]["minor"]["code"] == "30303"
    assert "division 00" in out[2]["error"]


def test_classify_with_codes_option(reference_path: Path) -> None:
    result = runner.invoke(
        app, ["classify", "5298", "8610", "--json", "--codes", str(reference_path)]
    )
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert "not a class of the official code table" in out[0]["error"]
    assert out[1]["industry_name"] == "新闻业" and out[1]["partial"] is True


def test_classify_codes_from_environment(reference_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("DIGICONS_CODES", str(reference_path))
    result = runner.invoke(app, ["classify", "6637", "--json"])
    assert json.loads(result.stdout)[0]["industry_name"] == "网络借贷服务"


def test_classify_rich_output() -> None:
    result = runner.invoke(app, ["classify", "8011", "52"])
    assert result.exit_code == 0
    assert "50907" in result.stdout and "O*" in result.stdout
    assert "52*" in result.stdout and "5292" in result.stdout


def test_classify_rich_error_goes_to_stderr() -> None:
    result = runner.invoke(app, ["classify", "XYZ"])
    assert result.exit_code == 1
    assert "not an industry code" in result.stderr
    assert "Traceback" not in result.output


def test_classify_aggregate_json() -> None:
    result = runner.invoke(app, ["classify", "O", "--json"])
    out = json.loads(result.stdout)[0]
    assert out["level"] == "section" and out["industry_name"] == "居民服务、修理和其他服务业"
    assert [c["pattern"] for c in out["categories"]] == ["8121", "8122", "O*"]


def test_classify_file_option(tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text("code\n5292\n7010\n", encoding="utf-8")
    out = tmp_path / "done.csv"
    result = runner.invoke(
        app, ["classify", "--file", str(source), "--column", "code", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["小类代码"] for r in rows] == ["40202", "50904"]
    assert "2 rows classified" in result.stderr


def test_classify_missing_file_is_a_clean_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["classify", "--file", str(tmp_path / "nope.csv")])
    assert result.exit_code == 3
    assert "no such file" in result.stderr and "Traceback" not in result.output


def test_classify_without_codes_is_a_usage_error() -> None:
    result = runner.invoke(app, ["classify"])
    assert result.exit_code == 2 and "no codes given" in result.stderr


def test_classify_both_codes_and_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["classify", "5292", "--file", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "not both" in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--debug", "classify", "--file", str(tmp_path / "nope.csv")])
    assert result.exit_code != 0 and result.exception is not None


def test_catalogue_csv() -> None:
    result = runner.invoke(app, ["catalogue", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 63
    assert {r["major_code"] for r in rows} == {"1", "2", "3", "4", "5"}
    assert len({r["medium_code"] for r in rows}) == 22
    assert next(r for r in rows if r["minor_code"] == "30304")["patterns"] == "8610*;6429*"


def test_catalogue_json_tree() -> None:
    result = runner.invoke(app, ["catalogue", "--format", "json"])
    tree = json.loads(result.stdout)
    assert len(tree) == 5
    assert sum(len(m["mediums"]) for m in tree) == 22
    assert sum(len(md["minors"]) for m in tree for md in m["mediums"]) == 63
    major5 = tree[4]
    assert major5["partial"] is True and tree[0]["partial"] is False


def test_catalogue_tree() -> None:
    result = runner.invoke(app, ["catalogue"])
    assert result.exit_code == 0
    assert "数字化效率提升服务业" in result.stdout and "K*" in result.stdout


def test_classify_file_forced_encoding(tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_bytes("行业代码,单位名称\n6422,游戏公司\n".encode("gbk"))
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["classify", "--file", str(source), "--encoding", "gbk", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert rows[0]["单位名称"] == "游戏公司" and rows[0]["小类代码"] == "30303"


def test_a_code_table_without_classes_the_scope_names_is_refused(
    reference_path: Path, tmp_path: Path
) -> None:
    # Another edition (GB/T 4754-2011 has no 6422) or a damaged copy: every enterprise of those
    # classes would be rejected as of no known industry.
    lines = reference_path.read_text("utf-8").splitlines()
    codes = tmp_path / "codes.csv"
    codes.write_text(
        "\n".join(x for x in lines if not x.startswith(("5292,", "6422,"))) + "\n", "utf-8"
    )
    sample = Path(__file__).parent.parent / "data" / "sample"
    commands = (
        ["classify", "3921"],
        ["measure", str(sample), "-p", "2024Q3", "-o", str(tmp_path / "t.xlsx")],
    )
    for command in commands:
        result = runner.invoke(app, [*command, "--codes", str(codes)])
        assert result.exit_code == 3, result.output
        assert "5292、6422" in result.stderr and "GB/T 4754-2017" in result.stderr
    assert not (tmp_path / "t.xlsx").exists()


def test_an_internal_error_is_said_in_a_few_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A library error's repr can hold a whole input (a UnicodeDecodeError carries every byte it
    # was decoding): the message printed 350,000 characters of a CSV file.
    import digicons.measure

    def fail(*_args: object, **_kwargs: object) -> None:
        raise UnicodeDecodeError("gb18030", b"\xb9\xab" * 100_000, 7, 8, "illegal sequence")

    monkeypatch.setattr(digicons.measure, "measure", fail)
    sample = Path(__file__).parent.parent / "data" / "sample"
    result = runner.invoke(
        app, ["measure", str(sample), "-p", "2024Q3", "-o", str(tmp_path / "t.xlsx")]
    )
    assert result.exit_code == 70, result.output
    assert "内部错误" in result.stderr and "UnicodeDecodeError" in result.stderr
    assert len(result.stderr) < 1_000
