"""What a measurement produced: every published cell, the reconciliation and the rows to see."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq

from digicons.inputs.sources import InputFile
from digicons.measure import indicators
from digicons.measure.indicators import Figures
from digicons.measure.partial import PartialTreatment
from digicons.period import Period
from digicons.units import convert

if TYPE_CHECKING:
    from digicons.measure.disclosure import DisclosureAudit, DisclosureRules
    from digicons.measure.guards import RunWarning

STATUSES = ("digital", "not_digital", "rejected")
TOTAL = "total"  # a 合计 row of an export: no enterprise, kept out of every count
ZERO = Decimal(0)
# The figures of a cell that divide by its total (合计, or its region's): none is published while
# that total is hidden, or the ratio would give the total back (33 ÷ 0.3289%).
RATIOS_OF_TOTAL = ("share_pct", "share_change_pp", "pull_pp", "contribution_pct")
CellKey = tuple[str | None, str]  # (region, category code); region None: all regions; "" total
Values = dict[str, Decimal | int | None]


@dataclass(frozen=True)
class Cell(Figures):
    """One row of a published table: a category (or the total) and its sums, in the input unit."""

    level: str = ""
    code: str = ""
    name: str = ""
    partial: bool = False
    region: str | None = None
    parent: str | None = None  # the category above, from the catalogue (20500 is under 204)
    smallest: Decimal | None = None  # the least contribution (with --confidential): any < 0?
    largest: tuple[Decimal, ...] = ()
    upper_revenue: Decimal = ZERO
    lower_revenue: Decimal = ZERO

    @property
    def key(self) -> CellKey:
        return (self.region, self.code)


@dataclass(frozen=True)
class Reconciliation:
    """Rows and revenue read = digital + not digital + rejected (revenue in the input unit).

    Total rows (合计) of the exports are counted apart: they are not enterprises.
    """

    rows: dict[str, int]
    revenue: dict[str, Decimal]
    total_rows: int = 0
    total_revenue: Decimal = ZERO

    @property
    def rows_read(self) -> int:
        return sum(self.rows.values())

    @property
    def revenue_read(self) -> Decimal:
        return sum(self.revenue.values(), ZERO)


@dataclass(frozen=True)
class SourceSummary:
    """One input file: where its lines went, and what identifies it (size, SHA-256)."""

    path: Path
    kind: str
    detail: str
    size: int
    sha256: str
    data_lines: int  # physical lines below the header (CSV) or rows below it (spreadsheets)
    rows_read: int
    revenue_read: Decimal
    blank_lines: int
    swallowed_lines: int  # further lines of records that span several
    total_rows: int  # 合计 rows, not counted
    total_revenue: Decimal
    # What the file's own totals say its rows add up to: its 合计 rows, else its 小计 rows
    # summed (None without total rows); `control_label` names which.
    control_revenue: Decimal | None
    control_label: str | None

    @property
    def uncompared(self) -> bool:
        """Total rows without a figure (a label only, a formula never calculated): nothing to
        compare with the sum of the rows (`UNCOMPARED` says so)."""
        return bool(self.total_rows) and self.control_revenue is None


CONTROL_LABELS = {True: "合计行营业收入", False: "各小计行营业收入之和"}
# Total rows without a figure (a label only, a formula never calculated): nothing to compare.
UNCOMPARED = "合计行无数值，未与各行之和核对"


@dataclass(frozen=True)
class Provenance:
    """What produced the figures: the program, the command, when, and how long it took."""

    digicons_version: str
    command: str | None
    started: str  # ISO 8601 with the time zone
    duration_seconds: float


SIDE_NAMES = {"prior": "上年同期文件（--prior）", "previous": "上期累计文件（--quarter-only）"}
# The other files a run's figures depend on, besides the inputs and SIDE_NAMES (short: the 说明
# sheet prints them in a column of about 25 widths).
SETTING_NAMES = {
    "shares": "系数（--partial-file）",
    "list": "名单（--partial-file）",
    "codes": "行业代码表（--codes）",
}


@dataclass(frozen=True)
class SideFile:
    """A file other than the inputs that the figures depend on, as provenance records it: a
    --prior or --quarter-only file (its figures enter every 上年同期, 同比 and single quarter),
    the shares or list of --partial, the code table."""

    side: str  # a key of SIDE_NAMES or SETTING_NAMES
    path: Path
    size: int
    sha256: str

    @property
    def label(self) -> str:
        return {**SIDE_NAMES, **SETTING_NAMES}[self.side]

    @classmethod
    def read(cls, side: str, path: Path) -> SideFile:
        """A small file's record, its bytes hashed here."""
        with path.open("rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        return cls(side, path, path.stat().st_size, digest)


@dataclass(frozen=True)
class ListMatch:
    """How the enterprises of a --partial list file were found: how many codes it lists, and
    those no counted row of a partial (*) industry has (in another industry, rejected, or in
    no input)."""

    codes: int
    missing: tuple[str, ...]

    @property
    def found(self) -> int:
        return self.codes - len(self.missing)


@dataclass(frozen=True)
class Comparison:
    """Where 上年同期 came from, and how well --prior files matched the current enterprises."""

    source: str  # "column" or "files"
    files: tuple[Path, ...] = ()
    unmatched_enterprises: int = 0
    unmatched_revenue: Decimal = ZERO
    vanished_enterprises: int = 0
    vanished_revenue: Decimal = ZERO
    rejected_enterprises: int = 0  # in last year's files, and here only in rejected rows
    repeated_rows: int = 0  # rows of last year's files whose credit code an earlier row has


@dataclass(frozen=True)
class QuarterDerivation:
    """A single quarter derived from two cumulative files; enterprises missing on either side."""

    files: tuple[Path, ...]
    without_previous: int
    vanished_enterprises: int
    vanished_revenue: Decimal
    rejected_enterprises: int = 0  # in the previous files, and here only in rejected rows
    repeated_rows: int = 0  # rows of the previous files whose credit code an earlier row has


@dataclass(frozen=True)
class RowIssue:
    """A rejected row (with its reason) or a kept row with data-quality flags."""

    file: Path
    row: int
    status: str
    reason: str | None
    kept_at: tuple[Path, int] | None
    flags: tuple[str, ...]
    values: dict[str, str | None]
    note: str | None = None  # what the reader found: the lines a record spans, a formula


class IssueStore:
    """Every rejected or flagged row in a Parquet file, when there are more than memory holds.

    The store owns its folder: it goes when the store is closed or no longer referenced, and every
    copy of a result shares the one store.
    """

    def __init__(self, decode: Callable[[dict[str, Any]], RowIssue]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="digicons-issues-"))
        self.path = self.folder / "issues.parquet"
        self._decode = decode
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.folder, True)

    def __iter__(self) -> Iterator[RowIssue]:
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=65_536):
            for record in batch.to_pylist():
                yield self._decode(record)

    def close(self) -> None:
        self._finalizer()


@dataclass(frozen=True)
class MeasureResult:
    """Everything the outputs need: cells of every level, reconciliation, rejects and flags."""

    scope_name: str
    scope_source: str
    period: Period
    quarter_only: bool
    input_unit: str
    unit: str
    inputs: list[InputFile]
    code_table: Path | None
    cells: list[Cell]
    region_cells: list[Cell]
    region_level: str
    reconciliation: Reconciliation
    rejects_by_reason: dict[str, tuple[int, Decimal]]
    flagged_rows: int
    issues: list[RowIssue]  # the first options.issue_limit, in input order
    issue_store: IssueStore | None  # every one of them, when there are more
    comparison: Comparison
    quarter: QuarterDerivation | None
    treatment: PartialTreatment
    without_share: int
    bounds: bool
    listed: ListMatch | None = None  # with --partial list
    sources: list[SourceSummary] = field(default_factory=list)
    side_files: list[SideFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # files left out, and why
    warnings: list[RunWarning] = field(default_factory=list)
    provenance: Provenance | None = None
    disclosure: DisclosureRules | None = None
    suppressed: frozenset[CellKey] = frozenset()
    audit: DisclosureAudit | None = None

    @cached_property
    def _region_totals(self) -> dict[str, Cell]:
        return {
            c.region: c for c in self.region_cells if c.level == "total" and c.region is not None
        }

    @property
    def issue_count(self) -> int:
        """Rejected rows plus kept rows with flags: every row a person must see."""
        return self.reconciliation.rows["rejected"] + self.flagged_rows

    def all_issues(self) -> Iterator[RowIssue]:
        """Every rejected or flagged row, read from the store in batches when not all in memory."""
        if self.issue_store is None:
            yield from self.issues
        else:
            yield from self.issue_store

    def close(self) -> None:
        """Remove the temporary files behind the result (the issue store, if any)."""
        if self.issue_store is not None:
            self.issue_store.close()

    @property
    def period_label(self) -> str:
        if self.quarter_only:
            return f"{self.period.year}年{self.period.quarter}季度"
        return self.period.label

    def convert(self, value: Decimal) -> Decimal:
        """An amount in the output unit."""
        return convert(value, self.input_unit, self.unit)

    @property
    def total(self) -> Cell:
        return self.cells[0]

    @property
    def confidential(self) -> bool:
        return self.disclosure is not None

    def unaudited(self, value: Decimal) -> Decimal | None:
        """An amount outside the audited tables (revenue read, not digital, rejected and by
        reason, by file, of the 合计 rows, of enterprises unmatched or vanished), in the output
        unit. A confidential run publishes none: each may be one unit's figure, or give one
        away by subtraction (read = digital + not digital + rejected), and no audit covers it."""
        return None if self.confidential else self.convert(value)

    def reconciled(self, status: str) -> Decimal | None:
        """The reconciliation's revenue of a status, in the output unit, as published: the
        digital revenue is the tables' 合计 cell, shown when that cell is."""
        value = self.reconciliation.revenue[status]
        if status == "digital":
            return None if self.is_suppressed(self.total) else self.convert(value)
        return self.unaudited(value)

    def level(self, level: str) -> list[Cell]:
        return [c for c in self.cells if c.level == level]

    def is_suppressed(self, cell: Cell) -> bool:
        return cell.key in self.suppressed

    def _total_of(self, cell: Cell) -> Cell:
        return self.total if cell.region is None else self._region_totals[cell.region]

    def regions(self) -> list[str]:
        return sorted(self._region_totals)

    def values(self, cell: Cell) -> Values:
        """A cell's published figures (amounts in the output unit); None where `withheld`."""
        total = self._total_of(cell)
        values: Values = {
            "enterprises": cell.enterprises,
            "revenue": self.convert(cell.revenue),
            "revenue_prior": None
            if cell.revenue_prior is None
            else self.convert(cell.revenue_prior),
            # The revenue of the enterprises that have a 上年同期: growth compares these two.
            "revenue_comparable": None
            if cell.revenue_prior is None
            else self.convert(cell.revenue_matched),
            "yoy_pct": indicators.yoy_pct(cell),
            "share_pct": indicators.share_pct(cell, total),
            "share_change_pp": indicators.share_change_pp(cell, total),
            "pull_pp": indicators.pull_pp(cell, total),
            "contribution_pct": indicators.contribution_pct(cell, total),
        }
        if self.bounds:
            values["revenue_lower"] = self.convert(cell.lower_revenue)
            values["revenue_upper"] = self.convert(cell.upper_revenue)
        return {k: None if self.withheld(cell, k) else v for k, v in values.items()}

    def withheld(self, cell: Cell, key: str) -> bool:
        """Whether a figure of a cell is hidden for confidentiality: the cell is, or the figure
        is a ratio to a total that is."""
        return self.is_suppressed(cell) or (
            key in RATIOS_OF_TOTAL and self.is_suppressed(self._total_of(cell))
        )
