"""From query results to the result model, strictly.

Every query result is checked against the columns this module expects: a missing, renamed or
unexpected column is an internal error, never a silent zero. Reason ids and flag bits are decoded
through the rules table. Before a result leaves, its own arithmetic is checked: the statuses add up
to the rows read, the reasons to the rejected rows, the categories to the digital total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from digicons.errors import InternalError
from digicons.inputs.sources import RAW_KEYS, InputFile
from digicons.measure import rules
from digicons.measure.options import MeasureOptions
from digicons.measure.result import (
    CONTROL_LABELS,
    STATUSES,
    TOTAL,
    ZERO,
    Cell,
    Comparison,
    IssueStore,
    ListMatch,
    MeasureResult,
    QuarterDerivation,
    Reconciliation,
    RowIssue,
    SourceSummary,
)
from digicons.period import Period
from digicons.scope.catalogue import Catalogue
from digicons.scope.regions import region_name

Record = dict[str, Any]
# The grouping sets of levels.sql, by the columns each groups on.
_GROUPED = ("status", "reason", "region_key", "major", "medium", "minor")
_SETS: dict[str, tuple[str, ...]] = {
    "status": ("status",),
    "reason": ("status", "reason"),
    "major": ("major",),
    "medium": ("major", "medium"),
    "minor": ("major", "medium", "minor"),
    "region": ("region_key",),
    "region_major": ("region_key", "major"),
    "region_medium": ("region_key", "major", "medium"),
}
# GROUPING(status, reason, ...) has a bit set, from the left, for each column a set leaves out.
_SET_OF_ID: dict[int, str] = {
    sum(1 << (len(_GROUPED) - 1 - i) for i, c in enumerate(_GROUPED) if c not in columns): name
    for name, columns in _SETS.items()
}
_LEVEL_COLUMNS = (
    *_GROUPED,
    "set_id",
    "rows",
    "revenue_all",
    "flagged",
    "without_share",
    "revenue_weighted_out",
    "enterprises",
    "revenue",
    "revenue_prior",
    "revenue_matched",
    "upper_revenue",
    "lower_revenue",
)
_FLAGGED_COLUMNS = {
    "side": ("side_missing", "side_missing_revenue"),
    "top": ("largest", "smallest"),
}
_SIDE_COLUMNS = (
    "vanished_enterprises",
    "vanished_revenue",
    "rejected_enterprises",
    "repeated_rows",
)
_FILE_COLUMNS = (
    "file_idx",
    "rows",
    "revenue",
    "total_rows",
    "total_revenue",
    "grand_rows",
    "control_revenue",
)
_ISSUE_COLUMNS = ("status", "reason", "kept_key", "flag_bits", "details")
_DETAIL_KEYS = ("file_idx", "row_no", *RAW_KEYS, "note")
_ISSUE_SET, _DETAIL_SET = frozenset(_ISSUE_COLUMNS), frozenset(_DETAIL_KEYS)
# Row keys are file index × 2^40 + row number: the queries take the factor from here (a slot).
ROW_KEY_FILE = 1 << 40


def expect_columns(query: str, names: Sequence[str], expected: Iterable[str]) -> None:
    """A query result must have exactly the expected columns."""
    wanted = list(expected)
    if sorted(names) != sorted(wanted):
        missing = sorted(set(wanted) - set(names))
        unexpected = sorted(set(names) - set(wanted))
        raise InternalError(
            f"{query}: columns do not match (missing {missing}, unexpected {unexpected})"
        )


def decode_levels(
    names: Sequence[str], rows: list[tuple[Any, ...]], flags: frozenset[str]
) -> dict[str, list[Record]]:
    """Split the rows of levels.sql by grouping set, as records keyed by column name."""
    extra = [c for flag, columns in _FLAGGED_COLUMNS.items() if flag in flags for c in columns]
    expect_columns("levels.sql", names, [*_LEVEL_COLUMNS, *extra])
    sets: dict[str, list[Record]] = {name: [] for name in _SETS}
    for row in rows:
        record = dict(zip(names, row, strict=True))
        name = _SET_OF_ID.get(record["set_id"])
        if name is None:
            raise InternalError(f"levels.sql: unknown grouping set {record['set_id']}")
        if name == "reason":
            record["reason"] = rules.reason_of(record["reason"])
        sets[name].append(record)
    return sets


def decode_side(names: Sequence[str], rows: list[tuple[Any, ...]]) -> Record:
    expect_columns("vanished.sql", names, _SIDE_COLUMNS)
    if len(rows) != 1:
        raise InternalError(f"vanished.sql: {len(rows)} rows instead of one")
    return dict(zip(names, rows[0], strict=True))


def decode_listed(names: Sequence[str], rows: list[tuple[Any, ...]]) -> ListMatch:
    """listed.sql: the list's codes, and those no counted row of a partial industry has."""
    expect_columns("listed.sql", names, ("credit_code", "found"))
    return ListMatch(len(rows), tuple(str(code) for code, found in rows if not found))


def decode_files(names: Sequence[str], rows: list[tuple[Any, ...]]) -> dict[int, Record]:
    expect_columns("files.sql", names, _FILE_COLUMNS)
    return {int(row[0]): dict(zip(names, row, strict=True)) for row in rows}


def row_at(key: int, files: list[InputFile]) -> tuple[Path, int]:
    """The file and row a row key names."""
    return files[key // ROW_KEY_FILE].shown, key % ROW_KEY_FILE


def issue(record: Record, files: list[InputFile]) -> RowIssue:
    """One rejected or flagged row from issues.sql (or the store written from it)."""
    # As strict as expect_columns, which says what differs; a set comparison per row is cheaper
    # (21,000 listed rows of a 10M-row run).
    if record.keys() != _ISSUE_SET:
        expect_columns("issues.sql", list(record), _ISSUE_COLUMNS)
    details = record["details"]
    if details.keys() != _DETAIL_SET:
        expect_columns("issues.sql details", list(details), _DETAIL_KEYS)
    kept_key = record["kept_key"]
    kept = None if kept_key is None else row_at(kept_key, files)
    return RowIssue(
        files[details["file_idx"]].shown,
        int(details["row_no"]),
        record["status"],
        rules.reason_of(record["reason"]),
        kept,
        rules.flags_of(int(record["flag_bits"])),
        {key: details[key] for key in RAW_KEYS},
        details["note"],
    )


def _amount_or_none(record: Record | None, key: str) -> Decimal | None:
    """An amount that may be absent (no 上年同期, no figure in a total row): None, not 0."""
    value = None if record is None else record[key]
    return None if value is None else Decimal(value)


def _amount(record: Record | None, key: str) -> Decimal:
    value = _amount_or_none(record, key)
    return ZERO if value is None else value


def _cell(record: Record | None, **labels: Any) -> Cell:
    smallest = None if record is None else record.get("smallest")
    return Cell(
        enterprises=int((record or {}).get("enterprises") or 0),
        revenue=_amount(record, "revenue"),
        revenue_prior=_amount_or_none(record, "revenue_prior"),
        revenue_matched=_amount(record, "revenue_matched"),
        largest=tuple(Decimal(v) for v in (record or {}).get("largest") or ()),
        smallest=None if smallest is None else Decimal(smallest),
        upper_revenue=_amount(record, "upper_revenue"),
        lower_revenue=_amount(record, "lower_revenue"),
        **labels,
    )


def _merge(records: list[Record], top_n: int) -> Record:
    """Sum several level records (the total from the majors)."""
    merged: Record = {}
    for key in ("enterprises", "revenue", "revenue_matched", "upper_revenue", "lower_revenue"):
        merged[key] = sum((r[key] or 0 for r in records), ZERO)
    priors = [r["revenue_prior"] for r in records if r["revenue_prior"] is not None]
    merged["revenue_prior"] = sum(priors, ZERO) if priors else None
    largest = sorted((v for r in records for v in (r.get("largest") or ())), reverse=True)
    merged["largest"] = largest[:top_n]
    smallest = [r["smallest"] for r in records if r.get("smallest") is not None]
    merged["smallest"] = min(smallest) if smallest else None
    return merged


def result(
    *,
    catalogue: Catalogue,
    sets: dict[str, list[Record]],
    files: list[InputFile],
    options: MeasureOptions,
    period: Period,
    unit_in: str,
    unit: str,
    sides: dict[str, Record],
    issues: list[RowIssue],
    issue_store: IssueStore | None,
    rows_read: int,
    per_file: dict[int, Record],
    notes: list[str],
) -> MeasureResult:
    by_status = {r["status"]: r for r in sets["status"]}
    unknown = set(by_status) - {*STATUSES, TOTAL}
    if unknown:
        raise InternalError(f"levels.sql: unknown statuses {sorted(unknown)}")
    any_partial = any(p.partial for p in catalogue.patterns)
    top_n = options.disclosure.dominance_n if options.disclosure is not None else 0
    # The digital total is the sum over majors (rows with no category fall in major NULL).
    majors = {r["major"]: r for r in sets["major"] if r["major"] is not None}
    total = _merge(list(majors.values()), top_n)
    by_code = {
        **majors,
        **{r["medium"]: r for r in sets["medium"] if r["medium"] is not None},
        **{r["minor"]: r for r in sets["minor"] if r["minor"] is not None},
    }
    cells = [
        _cell(
            total,
            level="total",
            code="",
            name=f"{catalogue.scope.name}合计",
            partial=any_partial,
        )
    ]
    cells += [
        _cell(
            by_code.get(c.code),
            level=c.level,
            code=c.code,
            name=c.name,
            partial=catalogue.is_partial(c.code),
            parent=c.parent,
        )
        for c in catalogue.categories.values()
    ]

    def status_sum(status: str, key: str) -> Decimal:
        return _amount(by_status.get(status), key)

    reconciliation = Reconciliation(
        {s: int(status_sum(s, "rows")) for s in STATUSES},
        {
            "digital": cells[0].revenue,
            "not_digital": status_sum("not_digital", "revenue_all")
            + status_sum("digital", "revenue_weighted_out"),
            "rejected": status_sum("rejected", "revenue_all"),
        },
        int(status_sum(TOTAL, "rows")),
        status_sum(TOTAL, "revenue_all"),
    )
    reasons = {
        r["reason"]: (int(r["rows"]), _amount(r, "revenue_all"))
        for r in sets["reason"]
        if r["reason"] is not None
    }
    ordered = {rule.key: reasons[rule.key] for rule in rules.REJECTS if rule.key in reasons}
    _check(reconciliation, ordered, by_status, total, rows_read)
    comparison = Comparison("column")
    if options.prior:
        side = sides["prior"]
        comparison = Comparison(
            "files",
            tuple(options.prior),
            int(status_sum("digital", "side_missing")),
            status_sum("digital", "side_missing_revenue"),
            int(side["vanished_enterprises"]),
            _amount(side, "vanished_revenue"),
            int(side["rejected_enterprises"]),
            int(side["repeated_rows"]),
        )
    quarter = None
    if options.previous:
        side = sides["previous"]
        quarter = QuarterDerivation(
            tuple(options.previous),
            int(status_sum("digital", "side_missing") + status_sum("not_digital", "side_missing")),
            int(side["vanished_enterprises"]),
            _amount(side, "vanished_revenue"),
            int(side["rejected_enterprises"]),
            int(side["repeated_rows"]),
        )
    return MeasureResult(
        scope_name=catalogue.scope.name,
        scope_source=catalogue.scope.source,
        period=period,
        quarter_only=bool(options.previous),
        input_unit=unit_in,
        unit=unit,
        inputs=files,
        code_table=options.codes.source if options.codes else None,
        cells=cells,
        region_cells=_region_cells(catalogue, sets, any_partial),
        region_level=options.region_level,
        reconciliation=reconciliation,
        rejects_by_reason=ordered,
        flagged_rows=int(status_sum("digital", "flagged") + status_sum("not_digital", "flagged")),
        issues=issues,
        issue_store=issue_store,
        comparison=comparison,
        quarter=quarter,
        treatment=options.partial,
        without_share=int(sum((status_sum(s, "without_share") for s in STATUSES), ZERO)),
        bounds=options.bounds,
        sources=[_source(f, per_file.get(f.index)) for f in files],
        notes=notes,
    )


def _source(f: InputFile, found: Record | None) -> SourceSummary:
    rows = int((found or {}).get("rows") or 0)
    total_rows = int((found or {}).get("total_rows") or 0)
    # A Parquet file's blank rows are the rows it holds that were neither read nor total rows.
    blank = f.stats.data_lines - rows - total_rows if f.kind == "parquet" else 0
    return SourceSummary(
        path=f.shown,
        kind=f.kind,
        detail=f.detail,
        size=f.size,
        sha256=f.sha256,
        data_lines=f.stats.data_lines,
        rows_read=rows,
        revenue_read=_amount(found, "revenue"),
        blank_lines=f.stats.blank_lines + blank,
        swallowed_lines=f.stats.swallowed_lines,
        total_rows=total_rows,
        total_revenue=_amount(found, "total_revenue"),
        # No figure in the total rows (a label only, a formula never calculated): nothing to
        # compare, rather than a total of 0 that disagrees.
        control_revenue=_amount_or_none(found, "control_revenue") if total_rows else None,
        control_label=CONTROL_LABELS[int((found or {}).get("grand_rows") or 0) > 0]
        if total_rows
        else None,
    )


def _check(
    reconciliation: Reconciliation,
    reasons: dict[str, tuple[int, Decimal]],
    by_status: dict[str, Record],
    total: Record,
    rows_read: int,
) -> None:
    """The result's own arithmetic; a failure is a bug of digicons, never of the input."""
    problems = []
    if reconciliation.rows_read + reconciliation.total_rows != rows_read:
        problems.append(
            f"statuses hold {reconciliation.rows_read + reconciliation.total_rows} rows "
            f"of {rows_read} read"
        )
    rejected_rows = sum(n for n, _ in reasons.values())
    rejected_revenue = sum((v for _, v in reasons.values()), ZERO)
    if (rejected_rows, rejected_revenue) != (
        reconciliation.rows["rejected"],
        reconciliation.revenue["rejected"],
    ):
        problems.append(
            f"reject reasons add up to {rejected_rows} rows / {rejected_revenue}, "
            f"rejected status holds {reconciliation.rows['rejected']} / "
            f"{reconciliation.revenue['rejected']}"
        )
    digital = by_status.get("digital")
    if digital is not None and (
        int(digital["enterprises"] or 0) != int(total["enterprises"])
        or _amount(digital, "revenue") != total["revenue"]
    ):
        problems.append("the digital rows and the sum of the major categories differ")
    if problems:
        raise InternalError("核对不平（reconciliation failed）: " + "; ".join(problems))


def _region_cells(
    catalogue: Catalogue, sets: dict[str, list[Record]], any_partial: bool
) -> list[Cell]:
    """Region × (total, majors, mediums), digital rows only; regions without any are left out."""
    totals = {r["region_key"]: r for r in sets["region"] if (r["enterprises"] or 0) > 0}
    found = {
        (r["region_key"], r["major"]): r for r in sets["region_major"] if r["major"] is not None
    }
    found.update(
        {
            (r["region_key"], r["medium"]): r
            for r in sets["region_medium"]
            if r["medium"] is not None
        }
    )
    cells = []
    for region in sorted(totals):
        cells.append(
            _cell(
                totals[region],
                level="total",
                code="",
                name=region_name(region),
                partial=any_partial,
                region=region,
            )
        )
        for category in catalogue.categories.values():
            if category.level in ("major", "medium"):
                cells.append(
                    _cell(
                        found.get((region, category.code)),
                        level=category.level,
                        code=category.code,
                        name=category.name,
                        partial=catalogue.is_partial(category.code),
                        region=region,
                        parent=category.parent,
                    )
                )
    return cells
