"""The files a measurement writes: the workbook, the JSON, the rejects CSV and, when the
数据质量 sheet cannot list every row, the complete list beside the workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from digicons.measure.result import MeasureResult
from digicons.outputs import Output
from digicons.outputs.issues import write_rejects_csv
from digicons.outputs.jsondoc import write_json
from digicons.outputs.workbook import needs_issue_file, write_workbook
from digicons.period import Period


def default_workbook(period: Period) -> Path:
    return Path(f"digicons-{period.key}.xlsx")


def issue_file_of(workbook: Path) -> Path:
    return workbook.with_name(f"{workbook.stem}-数据质量.csv")


def beside_workbook(workbook: Path) -> list[tuple[Path, str]]:
    """The workbook and, when one stands there, the list beside it: the files a run will
    write over, known before it (an earlier list is always replaced, see below)."""
    companion = issue_file_of(workbook)
    return [(workbook, "workbook")] + ([(companion, "issues")] if companion.exists() else [])


def plan_measure_outputs(
    result: MeasureResult,
    document: dict[str, Any],
    workbook: Path,
    json_file: Path | None = None,
    rejects: Path | None = None,
) -> list[Output]:
    """Every file of one measurement, in the order they are written."""
    companion = issue_file_of(workbook)
    issue_file = companion if needs_issue_file(result) else None
    outputs = [Output(workbook, "workbook", lambda temp: write_workbook(result, temp, issue_file))]
    if json_file is not None:
        outputs.append(Output(json_file, "json", lambda temp: write_json(document, temp)))
    if rejects is not None:
        outputs.append(Output(rejects, "rejects", lambda temp: write_rejects_csv(result, temp)))
    # An earlier run's list beside the workbook would name rows of other data: it is replaced by
    # this run's, even when the sheet lists them all, never left standing.
    if issue_file is not None or companion.exists():
        outputs.append(
            Output(
                companion,
                "issues",
                lambda temp: write_rejects_csv(result, temp, flagged_too=True),
            )
        )
    return outputs
