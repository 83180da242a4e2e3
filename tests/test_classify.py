"""Classifying codes and files (library level)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from digicons.outputs.classified import write_classified_file
from digicons.scope.catalogue import Catalogue
from digicons.scope.classify import (
    AggregateAnswer,
    ClassAnswer,
    Classifier,
    QueryFailure,
    answer_to_dict,
    classify_file,
    default_output,
)
from digicons.scope.codetable import load_code_table
from digicons.scope.gbt4754 import Level
from tests.fixtures import put


def test_json_shape_for_a_digital_class(catalogue: Catalogue, reference_path: Path) -> None:
    classifier = Classifier(catalogue, load_code_table(reference_path))
    assert answer_to_dict(classifier.classify("5292")) == {
        "query": "5292",
        "industry_code": "5292",
        "industry_name": "互联网零售",
        "digital": True,
        "partial": False,
        "major": {"code": "4", "name": "数字内容服务业"},
        "medium": {"code": "402", "name": "互联网批发零售"},
        "minor": {"code": "40202", "name": "互联网零售"},
        "matched": "5292",
    }


def test_not_digital_has_null_categories(catalogue: Catalogue) -> None:
    out = answer_to_dict(Classifier(catalogue).classify("3921"))
    assert out["digital"] is False and out["partial"] is False
    assert out["major"] is None and out["medium"] is None and out["minor"] is None
    assert out["matched"] is None


def test_class_names_come_from_the_code_table(catalogue: Catalogue, reference_path: Path) -> None:
    without = Classifier(catalogue).classify("5211")
    with_table = Classifier(catalogue, load_code_table(reference_path)).classify("5211")
    assert isinstance(without, ClassAnswer) and without.industry_name is None
    assert isinstance(with_table, ClassAnswer) and with_table.industry_name == "百货零售"


def test_code_table_rejects_codes_that_are_not_classes(
    catalogue: Catalogue, reference_path: Path
) -> None:
    classifier = Classifier(catalogue, load_code_table(reference_path))
    failure = classifier.classify("5298")
    assert isinstance(failure, QueryFailure) and "not a class" in failure.error
    # Without a table any 4-digit code of an existing division is accepted.
    assert isinstance(Classifier(catalogue).classify("5298"), ClassAnswer)


def test_division_lists_overlapping_patterns(catalogue: Catalogue) -> None:
    answer = Classifier(catalogue).classify("52")
    assert isinstance(answer, AggregateAnswer) and answer.level is Level.DIVISION
    assert sorted(h.pattern.text for h in answer.hits) == ["52*", "5244", "5273", "5274", "5292"]


def test_group_includes_the_covering_division_pattern(catalogue: Catalogue) -> None:
    answer = Classifier(catalogue).classify("527")
    assert isinstance(answer, AggregateAnswer)
    assert sorted(h.pattern.text for h in answer.hits) == ["52*", "5273", "5274"]


def test_section_lists_section_and_inner_patterns(catalogue: Catalogue) -> None:
    answer = Classifier(catalogue).classify("O")
    assert isinstance(answer, AggregateAnswer)
    assert sorted(h.pattern.text for h in answer.hits) == ["8121", "8122", "O*"]
    c = Classifier(catalogue).classify("C")
    assert isinstance(c, AggregateAnswer) and len(c.hits) == 14


@pytest.mark.parametrize("query", ["６４２２", "Ｉ６４２２", " i6422\u3000", "6422.0", "I6422.00"])
def test_a_code_in_another_form_is_classified_as_measure_reads_it(
    catalogue: Catalogue, query: str
) -> None:
    # measure reads these as 6422 (digicons/inputs/normalise.py); classify must agree.
    answer = Classifier(catalogue).classify(query)
    assert isinstance(answer, ClassAnswer), answer
    assert (answer.industry_code, answer.lineage is not None) == ("6422", True)
    assert answer.lineage is not None and answer.lineage[2].code == "30303"


def test_classify_csv_file(catalogue: Catalogue, tmp_path: Path) -> None:
    source = tmp_path / "firms.csv"
    source.write_bytes(
        '单位名称,行业代码\n甲,5292\n乙, I6422\n丙,3921\n丁,ABCD\n=HYPERLINK("x"),5211\n'.encode(
            "gbk"
        )
    )
    table = classify_file(Classifier(catalogue), source)
    output = write_classified_file(table, default_output(source))
    assert (len(table.rows), table.digital, table.failed) == (5, 3, 1)
    with output.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert output.name == "firms_classified.csv"
    assert [r["小类代码"] for r in rows] == ["40202", "30303", "", "", "50602"]
    assert [r["数字消费"] for r in rows] == ["是", "是", "否", "", "是"]
    assert rows[4]["部分属于(*)"] == "*" and rows[4]["匹配规则"] == "52*"
    assert "not an industry code" in rows[3]["分类说明"]


def test_classify_xlsx_keeps_text_as_text(catalogue: Catalogue, tmp_path: Path) -> None:
    source = tmp_path / "firms.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for col, value in enumerate(["企业名称", "代码列"], start=1):
        put(sheet, 1, col, value)
    for col, value in enumerate(['=HYPERLINK("http://x")', "8121"], start=1):
        put(sheet, 2, col, value)
    book.save(source)
    out = tmp_path / "out.xlsx"
    write_classified_file(classify_file(Classifier(catalogue), source, column="代码列"), out)
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert sheet["A2"].value == '=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    headers = [c.value for c in sheet[1]]
    assert sheet.cell(2, headers.index("小类代码") + 1).value == "20401"


def test_classify_xlsx_writes_markup_as_text(catalogue: Catalogue, tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    from tests.test_outputs import MARKUP

    source = tmp_path / "firms.csv"
    source.write_text(
        "企业名称,行业代码\n" + "".join(f'"{name}",8121\n' for name in MARKUP), encoding="utf-8"
    )
    out = tmp_path / "out.xlsx"
    write_classified_file(classify_file(Classifier(catalogue), source), out)
    rows = CalamineWorkbook.from_path(out).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[1:]] == list(MARKUP)


def test_classify_file_without_code_column(catalogue: Catalogue, tmp_path: Path) -> None:
    from digicons.errors import InputError

    source = tmp_path / "firms.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no industry-code column"):
        classify_file(Classifier(catalogue), source)
    assert not (tmp_path / "firms_classified.csv").exists()
