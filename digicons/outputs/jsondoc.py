"""The `--json` document of a measurement: the same numbers as the workbook, full precision."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from digicons.measure.result import Cell, MeasureResult
from digicons.outputs import dumps
from digicons.scope.regions import region_name


def _number(value: Decimal | int | None) -> float | int | None:
    if value is None or isinstance(value, int):
        return value
    return float(value)


def _row(result: MeasureResult, cell: Cell) -> dict[str, Any]:
    row: dict[str, Any] = {
        "level": cell.level,
        "code": cell.code,
        "name": cell.name,
        "parent": cell.parent,
        "partial": cell.partial,
    }
    if cell.region is not None:
        row = {"region": cell.region, "region_name": region_name(cell.region), **row}
    row.update({k: _number(v) for k, v in result.values(cell).items()})
    row["suppressed"] = result.is_suppressed(cell)
    if result.audit is not None and cell.key in result.suppressed:
        row["audit"] = _audit(result, cell)
    return row


def result_json(result: MeasureResult) -> dict[str, Any]:
    """The `--json` document, full precision, amounts in the output unit."""
    rec = result.reconciliation
    # Amounts outside the audited tables are null in a confidential run (MeasureResult.unaudited).
    reconciliation: dict[str, float | int | None] = {"rows_read": rec.rows_read}
    reconciliation.update({f"rows_{status}": n for status, n in rec.rows.items()})
    reconciliation["revenue_read"] = _number(result.unaudited(rec.revenue_read))
    reconciliation["total_rows"] = rec.total_rows
    reconciliation["total_revenue"] = _number(result.unaudited(rec.total_revenue))
    reconciliation.update(
        {f"revenue_{status}": _number(result.reconciled(status)) for status in rec.revenue}
    )
    comparison = result.comparison
    quarter = result.quarter
    rules = result.disclosure
    return {
        "period": result.period.key,
        "period_label": result.period_label,
        "cumulative": not result.quarter_only,
        "scope": {"name": result.scope_name, "source": result.scope_source},
        "unit": result.unit,
        "input_unit": result.input_unit,
        "partial_treatment": result.treatment.mode,
        "partial": {
            "mode": result.treatment.mode,
            "description": result.treatment.description,
            "file": None if result.treatment.file is None else str(result.treatment.file),
            "rows_without_share": result.without_share,
            "listed": None
            if result.listed is None
            else {"codes": result.listed.codes, "found": result.listed.found},
        },
        "inputs": [str(f.shown) for f in result.inputs],
        "code_table": None if result.code_table is None else str(result.code_table),
        "rows": [_row(result, cell) for cell in result.cells],
        "regions": {
            "level": result.region_level,
            "rows": [_row(result, cell) for cell in result.region_cells],
        },
        "comparison": {
            "source": comparison.source,
            "files": [str(f) for f in comparison.files],
            "unmatched_enterprises": comparison.unmatched_enterprises,
            "unmatched_revenue": _number(result.unaudited(comparison.unmatched_revenue)),
            "vanished_enterprises": comparison.vanished_enterprises,
            "vanished_revenue": _number(result.unaudited(comparison.vanished_revenue)),
            "rejected_enterprises": comparison.rejected_enterprises,
            "repeated_rows": comparison.repeated_rows,
        },
        "quarter_only": None
        if quarter is None
        else {
            "previous_files": [str(f) for f in quarter.files],
            "enterprises_without_previous": quarter.without_previous,
            "vanished_enterprises": quarter.vanished_enterprises,
            "vanished_revenue": _number(result.unaudited(quarter.vanished_revenue)),
            "rejected_enterprises": quarter.rejected_enterprises,
            "repeated_rows": quarter.repeated_rows,
        },
        "disclosure": None
        if rules is None
        else {
            "min_enterprises": rules.min_enterprises,
            "dominance": [rules.dominance_n, float(rules.dominance_k)],
            "protection_pct": float(rules.protection),
            "suppressed_cells": len(result.suppressed),
            "primary_cells": len(result.audit.primary) if result.audit else None,
            "secondary_cells": len(result.audit.secondary) if result.audit else None,
            "hidden_revenue_pct": {
                table: _number(share) for table, share in result.audit.hidden_share.items()
            }
            if result.audit
            else None,
        },
        "reconciliation": reconciliation,
        "rejects_by_reason": {
            reason: {"rows": n, "revenue": _number(result.unaudited(revenue))}
            for reason, (n, revenue) in result.rejects_by_reason.items()
        },
        "rows_flagged": result.flagged_rows,
        "warnings": [
            {"code": w.code, "message": w.published(result.confidential)} for w in result.warnings
        ],
        "notes": list(result.notes),
        "provenance": provenance_json(result),
    }


def provenance_json(result: MeasureResult) -> dict[str, Any]:
    """What produced the figures, and each input: enough to trace a published figure back."""
    made = result.provenance
    return {
        "digicons_version": made.digicons_version if made else None,
        "command": made.command if made else None,
        "started": made.started if made else None,
        "duration_seconds": made.duration_seconds if made else None,
        "inputs": [
            {
                "path": str(s.path),
                "name": s.path.name,
                "format": s.kind,
                "read_as": s.detail,
                "size": s.size,
                "sha256": s.sha256,
                "rows_read": s.rows_read,
                "revenue_read": _number(result.unaudited(s.revenue_read)),
                "data_lines": s.data_lines,
                "blank_lines": s.blank_lines,
                "swallowed_lines": s.swallowed_lines,
                "total_rows": s.total_rows,
                "total_revenue": _number(result.unaudited(s.total_revenue)),
                "control_revenue": None
                if s.control_revenue is None
                else _number(result.unaudited(s.control_revenue)),
                "control_label": s.control_label,
            }
            for s in result.sources
        ],
        "side_inputs": [
            {
                "side": f.side,
                "path": str(f.path),
                "name": f.path.name,
                "size": f.size,
                "sha256": f.sha256,
            }
            for f in result.side_files
        ],
    }


def write_json(document: dict[str, Any], path: Path) -> None:
    path.write_text(dumps(document), encoding="utf-8")


def _audit(result: MeasureResult, cell: Cell) -> dict[str, Any]:
    """A suppressed cell's feasible interval, as an attacker can work it out (output unit)."""
    audit = result.audit
    assert audit is not None

    def interval(measure: str) -> tuple[float | None, float | None]:
        low, high = audit.intervals.get((cell.key, measure), (None, None))
        scale = float(result.convert(Decimal(1)))
        return (
            None if low is None else low * scale,
            None if high is None else high * scale,
        )

    lower, upper = interval("revenue")
    prior_lower, prior_upper = interval("revenue_prior")
    return {
        "primary": cell.key in audit.primary,
        "lower": lower,
        "upper": upper,
        "revenue_prior": {"lower": prior_lower, "upper": prior_upper},
    }
