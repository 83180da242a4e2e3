"""Which category is this company in, and what does it weigh in the published cells?

The inputs are measured exactly as `measure` measures them; then the rows of the enterprise are
read back with the verdict the run gave them (status, reason, the kept row of a repeated code,
the weight of a partial industry), their category and region, and their share of every published
cell they feed: 合计, 大类, 中类, 小类, and their region's total, major and medium.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from digicons.errors import UsageError
from digicons.inputs.normalise import credit_code, text
from digicons.inputs.sources import InputFile
from digicons.measure import rules
from digicons.measure.assemble import row_at
from digicons.measure.duck import Progress
from digicons.measure.options import MeasureOptions
from digicons.measure.pipeline import Session
from digicons.measure.result import Cell, CellKey, MeasureResult
from digicons.resources import sql
from digicons.scope.catalogue import Catalogue, Category, load_catalogue
from digicons.scope.classify import Classifier
from digicons.scope.regions import region_name

LIMIT = 50
_CODE = re.compile(r"[0-9A-Z]{18}")


@dataclass(frozen=True)
class CellShare:
    """A published cell an enterprise feeds, and its share of that cell's revenue."""

    level: str  # total, major, medium, minor
    code: str
    region: str | None
    share_pct: Decimal | None


@dataclass(frozen=True)
class CompanyRow:
    """One row of the enterprise in the inputs, and what the run made of it."""

    file: Path
    row: int
    credit_code: str | None
    name: str | None
    industry_code: str | None
    industry_name: str | None
    region: str
    region_name: str
    revenue: Decimal | None  # in the output unit
    revenue_prior: Decimal | None
    status: str
    reason: str | None
    kept_at: tuple[Path, int] | None
    flags: tuple[str, ...]
    lineage: tuple[Category, Category, Category] | None
    partial: bool
    weight: Decimal  # of a partial industry's row under the run's treatment; 1 elsewhere
    pattern: str | None
    cells: list[CellShare]


@dataclass(frozen=True)
class CompanyAnswer:
    """The rows found (the first LIMIT), how many there are, and the run they belong to."""

    query: str
    matches: int
    rows: list[CompanyRow]
    result: MeasureResult


def parse_query(words: list[str]) -> tuple[str | None, list[str]]:
    """A credit code (exact; case and spaces ignored), or words that the name must all contain."""
    if not words or not any(w.strip() for w in words):
        raise UsageError(
            "没有给出要查找的企业（no query given）", hint="例如：digicons company 字节跳动"
        )
    code = credit_code("".join(words)).code
    if _CODE.fullmatch(code):
        return code, []
    return None, [text(w).lower() for w in words if text(w)]


def find_company(
    options: MeasureOptions,
    words: list[str],
    catalogue: Catalogue | None = None,
    progress: Progress | None = None,
    limit: int = LIMIT,
) -> CompanyAnswer:
    """Measure the inputs, then find the enterprise's rows and their place in the tables."""
    code, names = parse_query(words)
    catalogue = catalogue or load_catalogue()
    with Session(options, catalogue, progress) as session:
        result = session.run()
        run = session.runner
        if code is not None:
            _, read = run.rows(sql("read_as"), {"code": code})
            query = session.plan.sql("company", flags={"by_code"})
            found_by: dict[str, object] = {"code": code, "read": [raw for (raw,) in read]}
        else:
            # Parameter names of our own making, one per word; the words are bound as values.
            tests = [f"contains(lower(coalesce(j.name_raw, '')), $w{i})" for i in range(len(names))]
            every_word = " AND ".join(tests) or "true"
            query = session.plan.sql("company", flags={"by_name"}, name_words=every_word)
            found_by = {f"w{i}": word for i, word in enumerate(names)}
        columns, rows = run.rows(query, {**found_by, "limit": limit})
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    matches = int(records[0]["matches"]) if records else 0
    classifier = Classifier(catalogue, options.codes)
    cells = {c.key: c for c in [*result.cells, *result.region_cells]}
    found = [_row(record, result, catalogue, classifier, cells) for record in records]
    return CompanyAnswer(" ".join(words), matches, found, result)


def _amount(result: MeasureResult, value: object) -> Decimal | None:
    return None if value is None else result.convert(Decimal(str(value)))


def _row(
    record: dict[str, object],
    result: MeasureResult,
    catalogue: Catalogue,
    classifier: Classifier,
    by_key: dict[CellKey, Cell],
) -> CompanyRow:
    files: list[InputFile] = result.inputs
    class_code = record["class_code"]
    minor = record["minor"]
    lineage = catalogue.lineage(str(minor)) if minor else None
    pattern = None
    if class_code:
        found = catalogue.resolve(str(class_code)).pattern
        pattern = found.text if found else None
    region = str(record["region_key"] or "")
    kept_key = record["kept_key"]
    kept = None if kept_key is None else row_at(int(str(kept_key)), files)
    revenue = record["revenue"]
    weight = Decimal(str(record["weight"]))
    cells = []
    if record["status"] == "digital" and lineage is not None and revenue is not None:
        contribution = Decimal(str(revenue)) * weight
        cells = _shares(by_key, lineage, region, contribution)
    return CompanyRow(
        file=files[int(str(record["file_idx"]))].shown,
        row=int(str(record["row_no"])),
        credit_code=_text(record["credit_code_raw"]),
        name=_text(record["name_raw"]),
        industry_code=_text(record["industry_code_raw"]),
        industry_name=classifier.industry_name(str(class_code)) if class_code else None,
        region=region,
        region_name=region_name(region),
        revenue=_amount(result, revenue),
        revenue_prior=_amount(result, record["revenue_prior"]),
        status=str(record["status"]),
        reason=rules.reason_of(_int(record["reason"])),
        kept_at=kept,
        flags=rules.flags_of(_int(record["flag_bits"]) or 0),
        lineage=lineage,
        partial=bool(record["partial"]),
        weight=weight,
        pattern=pattern,
        cells=cells,
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _shares(
    by_key: dict[CellKey, Cell],
    lineage: tuple[Category, Category, Category],
    region: str,
    contribution: Decimal,
) -> list[CellShare]:
    """The cells (by key: every cell of the run) the contribution feeds, and its share of each."""
    wanted: list[tuple[str, CellKey]] = [("total", (None, ""))]
    wanted += [(c.level, (None, c.code)) for c in lineage]
    wanted += [("total", (region, ""))] + [(c.level, (region, c.code)) for c in lineage[:2]]
    shares = []
    for level, key in wanted:
        cell = by_key.get(key)
        if cell is None:
            continue
        share = contribution / cell.revenue * 100 if cell.revenue else None
        shares.append(CellShare(level, key[1], key[0], share))
    return shares
