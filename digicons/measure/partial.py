"""How partial (*) industries count: in full, not at all, scaled by shares, or by a list."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyarrow as pa

from digicons.errors import InputError, UsageError
from digicons.inputs import normalise
from digicons.inputs.files import read_text_table
from digicons.inputs.headers import BY_KEY, find_header
from digicons.measure.creditcode import has_shape
from digicons.period import Period, parse_period
from digicons.scope.catalogue import Catalogue
from digicons.scope.regions import is_region_code
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
    (a code, a 统计用区划代码 or a division's name, read as the inputs' are; a province's or a
    city's share holds for its districts) and a `period`, and a `share` in [0, 1]. The most
    specific row wins: class over minor, a named period over none; of the regions, queries/
    settled.sql takes the district's, then its city's, its province's, and the one without.
    Two rows for the same thing with different shares are refused: neither can be chosen.
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
    # (class, region) → (rank, share, the row that gave it)
    best: dict[tuple[str, str], tuple[tuple[int, int], Decimal, int]] = {}
    for offset, row in enumerate(table.rows):
        number = table.numbers[offset]
        where = f"{path} 第{number}行"

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
        if cell(period_col) and _period(cell(period_col), where) != period:
            continue
        klass, minor = normalise.industry_code(cell(class_col)).code, cell(minor_col)
        if klass:
            targets = [klass] if klass in partial_classes else []
        else:
            targets = [c for c, m in partial_classes.items() if m == minor]
        if not targets:
            raise InputError(
                f"{where}：'{klass or minor}' 不是部分（*）行业或小类"
                "（is not a partial class or minor）"
            )
        region = _region(cell(region_col), where)
        rank = (2 if klass else 1, 1 if cell(period_col) else 0)
        for target in targets:
            key = (target, region)
            if key in best and best[key][0] == rank and best[key][1] != share:
                raise InputError(
                    f"{path} 第{best[key][2]}行和第{number}行给 {target}"
                    f"（{region or '不分地区'}）不同的系数：{best[key][1]}、{share}"
                    "（two rows give the same industry and region different shares）",
                    hint="请删去其中一行，或写明报告期、区划代码以区分。",
                )
            if key not in best or best[key][0] < rank:
                best[key] = (rank, share, number)
    return [(c, region, share) for (c, region), (_, share, _) in sorted(best.items())]


def _period(text: str, where: str) -> Period:
    """parse_period, its refusal naming the file, row and column."""
    try:
        return parse_period(text)
    except UsageError as exc:
        raise InputError(f"{where}，period 列：{exc.message}", hint=exc.hint) from None


def _region(text: str, where: str) -> str:
    """A shares row's region as a 6-digit code ('' for none), read as the inputs' regions are."""
    if not text:
        return ""
    code = normalise.region(text).code
    if not is_region_code(code):
        raise InputError(
            f"{where}，region 列：'{text}' 不是区划代码，也不是能唯一确定的区划名称"
            "（is no region code or name of one division）",
            hint="请写6位区划代码，如 110105（区划名称只认 digicons 区划表中唯一的名称）。",
        )
    return code


def load_list(path: Path) -> list[str]:
    """The credit codes of an enterprise list, normalised as the inputs' codes are.

    The codes are in the column whose header names the inputs' credit-code column (统一社会信用代码,
    社会信用代码, credit_code); a list of codes without a header is read from its first column,
    its first line included.
    """
    table = read_text_table(path)
    col = find_header(table.headers, *BY_KEY["credit_code"].aliases)
    numbers = table.numbers
    if col is not None:
        cells = [row[col] for row in table.rows]
    elif table.headers and has_shape(normalise.credit_code(table.headers[0]).code):
        cells = [table.headers[0]] + [row[0] for row in table.rows]
        numbers = [table.first_row - 1, *numbers]
    else:
        raise InputError(
            f"{path}：企业名单没有统一社会信用代码列（the list has no credit-code column）",
            hint=f"找到的表头（headers found）：{', '.join(table.headers)}。"
            "请把代码列的表头写作 统一社会信用代码，或只列代码、不要表头。",
        )
    codes, numeric = normalise.credit_codes(pa.array(cells, pa.string()))
    for cell, number, lost in zip(cells, numbers, numeric.to_pylist(), strict=True):
        if lost:
            raise InputError(
                f"{path} 第{number}行：'{cell.strip()}' 是存为数值的统一社会信用代码，已丢失位数"
                "（a credit code saved as a number lost digits）",
                hint="请在表格中把代码列设为文本格式后重新导出。",
            )
    return sorted({code for code in codes.to_pylist() if code})
