"""`company --json`: one object per row found, with the keys `classify --json` uses for the
category, and the cells the enterprise feeds with its share of each."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from digicons.measure.company import CompanyAnswer, CompanyRow
from digicons.measure.rules import LABELS


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _category(row: CompanyRow, level: int) -> dict[str, str] | None:
    if row.lineage is None:
        return None
    category = row.lineage[level]
    return {"code": category.code, "name": category.name}


def company_json(answer: CompanyAnswer) -> list[dict[str, Any]]:
    return [
        {
            "file": str(row.file),
            "row": row.row,
            "credit_code": row.credit_code,
            "name": row.name,
            "industry_code": row.industry_code,
            "industry_name": row.industry_name,
            "region": row.region,
            "region_name": row.region_name,
            "unit": answer.result.unit,
            "revenue": _number(row.revenue),
            "revenue_prior": _number(row.revenue_prior),
            "status": row.status,
            "reason": row.reason,
            "reason_label": LABELS[row.reason] if row.reason else None,
            "flags": list(row.flags),
            "kept_at": None
            if row.kept_at is None
            else {"file": str(row.kept_at[0]), "row": row.kept_at[1]},
            "major": _category(row, 0),
            "medium": _category(row, 1),
            "minor": _category(row, 2),
            "partial": row.partial,
            "partial_treatment": answer.result.treatment.mode,
            "weight": float(row.weight),
            "matched": row.pattern,
            "cells": [
                {
                    "level": cell.level,
                    "code": cell.code,
                    "region": cell.region,
                    "share_pct": _number(cell.share_pct),
                }
                for cell in row.cells
            ],
        }
        for row in answer.rows
    ]
