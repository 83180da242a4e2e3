"""What `measure` is asked to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from digicons.measure.disclosure.rules import DisclosureRules
from digicons.measure.partial import PartialTreatment
from digicons.scope.codetable import CodeTable

DEFAULT_UNIT = "万元"


@dataclass(frozen=True)
class MeasureOptions:
    """The inputs and every choice of a measurement."""

    inputs: list[Path]
    period: str | None = None
    input_unit: str | None = None
    unit: str = DEFAULT_UNIT
    encoding: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None  # of a workbook: a name or a number from 1
    codes: CodeTable | None = None
    prior: list[Path] = field(default_factory=list)
    previous: list[Path] = field(default_factory=list)
    region_level: str = "county"
    partial: PartialTreatment = field(default_factory=PartialTreatment)
    bounds: bool = False
    disclosure: DisclosureRules | None = None
    # Rejected and flagged rows kept in memory and listed in the workbook; the rest are streamed to
    # a CSV beside it. (A million rows through a workbook writer take minutes and gigabytes.)
    issue_limit: int = 100_000
    max_rejected: Decimal = Decimal(5)  # % of the rows read; more is a warning
    strict: bool = False  # every warning is a failure
    command: str | None = None  # the command line that asked for the run (provenance)
