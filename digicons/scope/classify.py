"""Answering "which digital-consumption category is this industry code in?"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digicons.errors import InputError
from digicons.inputs.files import read_text_table
from digicons.inputs.headers import BY_KEY, match_headers
from digicons.scope.catalogue import Catalogue, Category, Grain, Pattern
from digicons.scope.codetable import CodeTable
from digicons.scope.gbt4754 import CodeSyntaxError, IndustryCode, Level


@dataclass(frozen=True)
class ClassAnswer:
    """The category of one class, or none when it is not digital consumption."""

    query: str
    industry_code: str
    industry_name: str | None
    pattern: Pattern | None
    lineage: tuple[Category, Category, Category] | None

    @property
    def digital(self) -> bool:
        return self.pattern is not None

    @property
    def partial(self) -> bool:
        return self.pattern is not None and self.pattern.partial


@dataclass(frozen=True)
class PatternHit:
    """A pattern found inside (or covering) a division, group or section, with its category."""

    pattern: Pattern
    lineage: tuple[Category, Category, Category]


@dataclass(frozen=True)
class AggregateAnswer:
    """The categories found inside a division, group or section."""

    query: str
    level: Level
    industry_code: str
    industry_name: str | None
    hits: list[PatternHit]


@dataclass(frozen=True)
class QueryFailure:
    """A query that is malformed or not a real code."""

    query: str
    error: str


Answer = ClassAnswer | AggregateAnswer | QueryFailure


@dataclass(frozen=True)
class ClassifiedTable:
    """A table with the category columns added to each row."""

    source: Path
    headers: list[str]
    rows: list[list[str]]
    numbers: list[int]  # the line or sheet row of each row
    answers: list[Answer]
    code_column: int
    digital: int
    failed: int


SHOWN = 10  # industries named in a message, at most


def check_code_table(catalogue: Catalogue, codes: CodeTable) -> None:
    """Refuse a code table that lacks a class the scope names, or every class of a division or
    section it names: it is not GB/T 4754-2017 (another edition: 2011 has no 6422) or not
    complete, and every enterprise of those industries would be rejected as of none."""
    classes = codes.classes
    divisions = {c[:2] for c in classes}
    structure = catalogue.structure
    missing = [
        p.key
        for p in catalogue.patterns
        if not (
            p.key in codes.names
            if p.grain is Grain.CLASS
            else p.key in divisions
            if p.grain is Grain.DIVISION
            else divisions & set(structure.divisions_of(p.key))
        )
    ]
    if missing:
        keys = sorted(dict.fromkeys(missing))
        shown = "、".join(keys[:SHOWN]) + ("等" if len(keys) > SHOWN else "")
        raise InputError(
            f"{codes.source}：行业代码表没有数字消费范围所列的 {len(keys)} 个行业：{shown}"
            "（the code table lacks industries the scope names）",
            hint="数字消费范围按 GB/T 4754-2017 编码：请确认代码表是 GB/T 4754-2017 的完整代码表"
            "（不是 2011 年版，也没有删减）。",
        )


class Classifier:
    """Classifies industry codes against the catalogue and, if given, the official code table."""

    def __init__(self, catalogue: Catalogue, codes: CodeTable | None = None) -> None:
        if codes is not None:
            check_code_table(catalogue, codes)
        self.catalogue = catalogue
        self.codes = codes
        self._appendix_names = {
            p.key: p.industry_name for p in catalogue.patterns if p.grain is Grain.CLASS
        }

    def industry_name(self, code: str) -> str | None:
        if self.codes is not None and code in self.codes.names:
            return self.codes.names[code]
        structure = self.catalogue.structure
        if code in structure.sections:
            return structure.sections[code].name
        if code in structure.divisions:
            return structure.divisions[code].name
        return self._appendix_names.get(code)

    def classify(self, query: str) -> Answer:
        try:
            industry = self.catalogue.structure.parse(query)
            self._check_exists(industry)
        except CodeSyntaxError as exc:
            return QueryFailure(query, str(exc))
        if industry.level is Level.CLASS:
            assignment = self.catalogue.resolve(industry.code)
            lineage = None if assignment.minor is None else self.catalogue.lineage(assignment.minor)
            return ClassAnswer(
                query, industry.code, self.industry_name(industry.code), assignment.pattern, lineage
            )
        hits = [
            PatternHit(p, self.catalogue.lineage(p.minor))
            for p in self.catalogue.patterns_overlapping(industry)
        ]
        return AggregateAnswer(
            query, industry.level, industry.code, self.industry_name(industry.code), hits
        )

    def _check_exists(self, industry: IndustryCode) -> None:
        if self.codes is None or industry.level is Level.SECTION:
            return
        if industry.level is Level.CLASS and not self.codes.is_class(industry.code):
            raise CodeSyntaxError(
                f"{industry.code} 不是行业代码表（{self.codes.source}）中的小类"
                f"（{industry.code} is not a class of the official code table）"
            )
        if not any(c.startswith(industry.code) for c in self.codes.classes):
            raise CodeSyntaxError(
                f"行业代码表（{self.codes.source}）中没有属于 {industry.code} 的小类"
                f"（no class of the official code table lies in {industry.code}）"
            )


def _category(category: Category | None) -> dict[str, str] | None:
    return None if category is None else {"code": category.code, "name": category.name}


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """The JSON form of an answer."""
    if isinstance(answer, QueryFailure):
        return {"query": answer.query, "error": answer.error}
    if isinstance(answer, ClassAnswer):
        major, medium, minor = answer.lineage or (None, None, None)
        return {
            "query": answer.query,
            "industry_code": answer.industry_code,
            "industry_name": answer.industry_name,
            "digital": answer.digital,
            "partial": answer.partial,
            "major": _category(major),
            "medium": _category(medium),
            "minor": _category(minor),
            "matched": None if answer.pattern is None else answer.pattern.text,
        }
    return {
        "query": answer.query,
        "level": answer.level.value,
        "industry_code": answer.industry_code,
        "industry_name": answer.industry_name,
        "digital": bool(answer.hits),
        "categories": [
            {
                "pattern": hit.pattern.text,
                "pattern_name": hit.pattern.industry_name,
                "partial": hit.pattern.partial,
                "major": _category(hit.lineage[0]),
                "medium": _category(hit.lineage[1]),
                "minor": _category(hit.lineage[2]),
            }
            for hit in answer.hits
        ],
    }


ADDED_COLUMNS = (
    "数字消费",
    "部分属于(*)",
    "大类代码",
    "大类名称",
    "中类代码",
    "中类名称",
    "小类代码",
    "小类名称",
    "匹配规则",
    "分类说明",
)


def answer_columns(answer: Answer) -> list[str]:
    """The category columns `classify --file` adds to one row."""
    if isinstance(answer, QueryFailure):
        return ["", "", "", "", "", "", "", "", "", answer.error]
    if isinstance(answer, AggregateAnswer):
        return ["", "", "", "", "", "", "", "", "", "不是4位小类代码，无法归类"]
    if answer.lineage is None or answer.pattern is None:
        return ["否", "", "", "", "", "", "", "", "", ""]
    major, medium, minor = answer.lineage
    return [
        "是",
        "*" if answer.partial else "",
        major.code,
        major.name,
        medium.code,
        medium.name,
        minor.code,
        minor.name,
        answer.pattern.text,
        "",
    ]


def default_output(path: Path) -> Path:
    return path.with_name(f"{path.stem}_classified{path.suffix}")


def classify_file(
    classifier: Classifier,
    path: Path,
    column: str | None = None,
    encoding: str | None = None,
) -> ClassifiedTable:
    """Classify the industry-code column of a CSV or Excel file, row by row."""
    table = read_text_table(path, encoding)
    overrides = {} if column is None else {"industry_code": column}
    index = match_headers(table.headers, overrides).get("industry_code")
    if index is None:
        wanted = column or " / ".join(BY_KEY["industry_code"].aliases)
        raise InputError(
            f"{path}：没有行业代码列（no industry-code column: {wanted}）",
            hint=f"找到的表头（headers found）：{', '.join(table.headers)}。用 --column 指定。",
        )
    rows: list[list[str]] = []
    answers: list[Answer] = []
    digital = failed = 0
    for row in table.rows:
        answer = classifier.classify(row[index])
        digital += isinstance(answer, ClassAnswer) and answer.digital
        failed += not isinstance(answer, ClassAnswer)
        rows.append(list(row) + answer_columns(answer))
        answers.append(answer)
    return ClassifiedTable(
        path,
        table.headers + list(ADDED_COLUMNS),
        rows,
        table.numbers,
        answers,
        index,
        digital,
        failed,
    )
