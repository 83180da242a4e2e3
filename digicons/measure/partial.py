"""How partial (*) industries count: in full, not at all, scaled by shares, or by a list."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from digicons.errors import InputError, UsageError
from digicons.inputs.files import read_text_table
from digicons.inputs.headers import find_header
from digicons.period import Period, parse_period
from digicons.scope.catalogue import Catalogue
from digicons.units import number_text

MODES = ("full", "exclude", "shares", "list")
DESCRIPTIONS = {
    "full": "全部计入（上限口径）",
    "exclude": "不计入（下限口径）",
    "shares": "按系数折算",
    "list": "按企业名单计入",
}


@dataclass(frozen=True)
class PartialTreatment:
    """The treatment of partial industries and, for shares / list, the file that drives it."""

    mode: str = "full"
    file: Path | None = None

    @property
    def description(self) -> str:
        text = DESCRIPTIONS[self.mode]
        return text if self.file is None else f"{text}（{self.file}）"


def parse_treatment(given: str, file: Path | None) -> PartialTreatment:
    mode = given.strip().lower()
    if mode not in MODES:
        raise UsageError(
            f"未知的 --partial '{given}'（unknown --partial）",
            hint="可用：full、exclude、shares、list。",
        )
    if (mode in ("shares", "list")) != (file is not None):
        raise UsageError(
            f"--partial {mode} "
            + (
                "需要 --partial-file 文件（needs --partial-file FILE）"
                if file is None
                else "不需要文件（takes no file）"
            )
        )
    return PartialTreatment(mode, file)


def _share(text: str) -> Decimal:
    """A share as written: 0.35, or 35% (a column formatted as percent, exported as text)."""
    plain, percent = number_text(text)
    return Decimal(plain) / 100 if percent else Decimal(plain)


def load_shares(path: Path, catalogue: Catalogue, period: Period) -> list[tuple[str, str, Decimal]]:
    """(class, region or '', share) for every partial class a shares file covers.

    A row names a `minor` category or an industry `class` (one of them), optionally a `region`
    and a `period`, and a `share` in [0, 1]. The most specific row wins: class over minor,
    a named region over none, a named period over none.
    """
    table = read_text_table(path)
    share_col = find_header(table.headers, "share", "系数", "比例")
    class_col = find_header(table.headers, "class", "industry_code", "行业代码")
    minor_col = find_header(table.headers, "minor", "小类代码", "小类")
    region_col = find_header(table.headers, "region", "区划代码")
    period_col = find_header(table.headers, "period", "报告期")
    if share_col is None or (class_col is None and minor_col is None):
        raise InputError(
            f"{path}：系数文件需要系数列（share），以及行业代码（class）或小类（minor）列"
            "（a shares file needs a share column and a class or minor column）",
            hint=f"找到的表头（headers found）：{', '.join(table.headers)}。",
        )
    partial_classes = {
        a.class_code: a.minor for a in catalogue.class_map() if a.partial and a.minor is not None
    }
    best: dict[tuple[str, str], tuple[tuple[int, int], Decimal]] = {}
    for offset, row in enumerate(table.rows):
        where = f"{path} 第{table.first_row + offset}行"

        def cell(col: int | None, row: list[str] = row) -> str:
            return "" if col is None else row[col].strip()

        try:
            share = _share(cell(share_col))
        except InvalidOperation:
            raise InputError(
                f"{where}，share 列：'{cell(share_col)}' 不是数值（is not a number）"
            ) from None
        if not Decimal(0) <= share <= Decimal(1):
            raise InputError(
                f"{where}，share 列：{share} 不在 0 到 1 之间（is not between 0 and 1）"
            )
        if cell(period_col) and parse_period(cell(period_col)) != period:
            continue
        klass, minor = cell(class_col), cell(minor_col)
        if klass:
            targets = [klass] if klass in partial_classes else []
        else:
            targets = [c for c, m in partial_classes.items() if m == minor]
        if not targets:
            raise InputError(
                f"{where}：'{klass or minor}' 不是部分（*）行业或小类"
                "（is not a partial class or minor）"
            )
        rank = (2 if klass else 1, 1 if cell(period_col) else 0)
        for target in targets:
            key = (target, cell(region_col))
            if key not in best or best[key][0] <= rank:
                best[key] = (rank, share)
    return [(c, region, share) for (c, region), (_, share) in sorted(best.items())]


def load_list(path: Path) -> list[str]:
    """The credit codes of an enterprise list (column credit_code or 统一社会信用代码)."""
    table = read_text_table(path)
    col = find_header(table.headers, "credit_code", "统一社会信用代码")
    index = 0 if col is None else col
    return sorted({row[index].strip().upper() for row in table.rows if row[index].strip()})
