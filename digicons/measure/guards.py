"""What a run must say about itself: warnings from one table of codes, and the failures that
stop it.

A warning does not stop a run: the tables are written and the warning is printed, recorded on
the 说明 sheet and in the JSON (`warnings`: code, message). Under `--strict` every warning is a
failure and nothing is written. Some things always stop a run: a run in which no row counts, and
a --prior / --quarter-only file of the wrong period (checked in `check_side_period`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from digicons.errors import ChecksFailedError, InputError
from digicons.inputs.headers import title_units
from digicons.inputs.sources import DEFAULT_INPUT_UNIT, InputFile, units_named
from digicons.measure.result import SIDE_NAMES, MeasureResult, RowIssue
from digicons.measure.rules import BY_KEY as RULE_OF
from digicons.measure.rules import LABELS
from digicons.period import Period, other_span, periods_in

# Every code a warning can carry, and what it means.
WARNINGS: dict[str, str] = {
    "rejected_share": "剔除的行超过 --max-rejected 所设的比例",
    "growth_unavailable": "没有上年同期数据，无法计算同比",
    "period_unknown": "--prior 或 --quarter-only 文件没有报告期信息，无法核对",
    "total_row_mismatch": "文件的合计行与各行之和不符",
    "list_unmatched": "--partial list 名单中有企业不在部分（*）行业的计入行中",
}
EXAMPLES = 3


@dataclass(frozen=True)
class RunWarning:
    """One thing a reader of the tables must know."""

    code: str
    message: str
    # The message a confidential publication carries, when `message` holds a unit's data
    # (figures, credit codes); the operator's screen always shows `message`.
    public: str | None = None

    def __post_init__(self) -> None:
        if self.code not in WARNINGS:
            raise ValueError(f"unknown warning code {self.code}")

    def published(self, confidential: bool) -> str:
        return self.public if confidential and self.public is not None else self.message


def _amount(value: Decimal) -> str:
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _top(result: MeasureResult) -> list[tuple[str, int]]:
    """The reasons that rejected most rows, with their rows: at most EXAMPLES of them."""
    ranked = sorted(result.rejects_by_reason.items(), key=lambda item: -item[1][0])
    return [(key, rows) for key, (rows, _) in ranked[:EXAMPLES]]


def _top_reasons(result: MeasureResult) -> str:
    return "；".join(f"{LABELS[key]} {rows:,} 行" for key, rows in _top(result))


def check_counted(result: MeasureResult) -> None:
    """A run in which no row counts (all rejected, or none read) fails, saying why."""
    rows = result.reconciliation.rows
    if rows["digital"] + rows["not_digital"] > 0:
        return
    if not rows["rejected"]:
        names = "、".join(str(s.path) for s in result.sources)
        raise InputError(
            f"没有读到任何企业行（no rows were read）：{names}",
            hint="请检查文件是否为空，或表头下是否有数据。",
        )
    examples = [
        f"{issue.file.name} 第{issue.row}行：{LABELS[issue.reason]}"
        + (f"（{issue.values.get('period') or ''}）" if issue.reason.startswith("period") else "")
        for issue in result.issues
        if issue.status == "rejected" and issue.reason is not None
    ][:EXAMPLES]
    raise InputError(
        f"全部 {rows['rejected']:,} 行都被剔除，没有一行计入（no row counts）。"
        f"主要原因：{_top_reasons(result)}。例如：" + "；".join(examples),
        hint=_hints(result),
    )


def _hints(result: MeasureResult) -> str:
    """What to check, from the rules that rejected most rows (their own hints)."""
    hints = [h for key, _ in _top(result) if (h := RULE_OF[key].hint)]
    return "".join(dict.fromkeys(hints)) or "请查看剔除原因。"


def _no_growth(result: MeasureResult) -> str:
    """Why no digital row has a 上年同期: no source of it, or a source without a value."""
    cannot = "无法计算同比、拉动和贡献率"
    if result.comparison.source == "files":
        return (
            f"--prior 文件中没有本期数字消费企业的营业收入：{cannot}"
            "（growth cannot be computed: no digital enterprise found in the --prior files）"
        )
    if any("revenue_prior" in f.columns for f in result.inputs):
        return (
            f"营业收入上年同期列中，数字消费的行都没有数值（空白、不是数值或为错误值）：{cannot}"
            "（growth cannot be computed: the 上年同期 column holds no value for digital rows）"
        )
    return (
        f"输入没有营业收入上年同期，也没有给出 --prior 文件：{cannot}"
        "（growth cannot be computed: no 上年同期 column and no --prior files）"
    )


def warnings_of(
    result: MeasureResult, max_rejected: Decimal, side_periods: list[RunWarning]
) -> list[RunWarning]:
    """The warnings a finished measurement carries."""
    found = list(side_periods)
    rec = result.reconciliation
    if rec.rows_read and Decimal(rec.rows["rejected"]) * 100 > max_rejected * rec.rows_read:
        share = Decimal(rec.rows["rejected"]) * 100 / rec.rows_read
        found.append(
            RunWarning(
                "rejected_share",
                f"剔除 {rec.rows['rejected']:,} 行，占读取行的 {share:.1f}%，"
                f"超过 --max-rejected {max_rejected}%。主要原因：{_top_reasons(result)}"
                f"（{share:.1f}% of the rows were rejected）",
            )
        )
    if rec.rows["digital"] and result.total.revenue_prior is None:
        found.append(RunWarning("growth_unavailable", _no_growth(result)))
    listed = result.listed
    if listed is not None and listed.missing:
        shown = "、".join(listed.missing[:EXAMPLES]) + (
            "等" if len(listed.missing) > EXAMPLES else ""
        )
        said = (
            f"{result.treatment.file}：名单的 {listed.codes:,} 个统一社会信用代码中有 "
            f"{len(listed.missing):,} 个不在部分（*）行业的计入行中（不在输入中、属其他行业或"
            "被剔除）"
        )
        english = "（listed enterprises not counted in partial industries）"
        found.append(
            RunWarning(
                "list_unmatched", f"{said}：{shown}{english}", f"{said}；代码不予公布{english}"
            )
        )
    for source in result.sources:
        control = source.control_revenue
        if control is not None and control != source.revenue_read:
            english = "（the total row disagrees with the sum of the rows）"
            found.append(
                RunWarning(
                    "total_row_mismatch",
                    f"{source.path}：{source.control_label}为 {_amount(control)}，"
                    f"各行之和为 {_amount(source.revenue_read)}（{result.input_unit}），两者不符"
                    + english,
                    f"{source.path}：{source.control_label}与各行之和不符；金额不予公布{english}",
                )
            )
    return found


def check_strict(warnings: list[RunWarning]) -> None:
    """Under --strict, any warning fails the run before anything is written."""
    if warnings:
        raise ChecksFailedError(
            "--strict：有 "
            + f"{len(warnings)} 条警告，未写出任何文件（warnings under --strict）：\n"
            + "\n".join(f"- {w.message}" for w in warnings),
            hint="处理这些警告，或去掉 --strict。",
        )


def expected_period(side: str, period: Period) -> Period:
    """--prior: the same quarter a year earlier; --quarter-only: the previous quarter."""
    if side == "prior":
        return Period(period.year - 1, period.quarter)
    return period.previous()


def check_side_period(
    side: str, path: Path, found: set[Period], period: Period
) -> RunWarning | None:
    """A side file must be of the expected period; one without any period is only a warning."""
    wanted = expected_period(side, period)
    if not found:
        return RunWarning(
            "period_unknown",
            f"{path}：{SIDE_NAMES[side]}没有报告期信息（无报告期列或标题），"
            f"按 {wanted.key} 使用，未能核对（no period information）",
        )
    if found != {wanted}:
        shown = "、".join(p.key for p in sorted(found))
        raise InputError(
            f"{path}：{SIDE_NAMES[side]}的报告期为 {shown}，应为 {wanted.key}"
            f"（the file is of {shown}, {wanted.key} is expected）",
            hint="--prior 取去年同季度的文件；--quarter-only 取本年上一季度的累计文件。",
        )
    return None


def check_side_unit(side: str, file: InputFile, unit: str, given: bool) -> None:
    """A side file that names its revenue unit must name the inputs' unit (read in another, its
    amounts would be compared as they are: 万元 as 千元, and growth off by ten times); one that
    names none is read in the inputs' unit only when that is the default or --input-unit said
    so (`given`)."""
    named = units_named(file)
    if not named and not given and unit != DEFAULT_INPUT_UNIT:
        raise InputError(
            f"{file.path}：{SIDE_NAMES[side]}没有写明营业收入的单位，本期输入写明是{unit}"
            "（the file names no unit, the inputs name one）",
            hint=f"请用 --input-unit 指定两期共同的单位（如 --input-unit {unit}）。",
        )
    if named and unit not in named:
        raise InputError(
            f"{file.path}：{SIDE_NAMES[side]}的营业收入单位是{'、'.join(named)}，本期输入为{unit}"
            f"（the file is in {'/'.join(named)}, the inputs in {unit}）",
            hint="请把两期数据换算为同一单位（或用 --input-unit 说明本期的单位）。",
        )


def check_input_spans(
    files: Sequence[InputFile], period: Period, chosen: Collection[str] = ()
) -> None:
    """A title row or an amount header that names other months than the run's (2024年1-6月, or
    营业收入（7-9月） in a run of 2024年1-3季度) would publish them under the run's label:
    refused. Not the headers of the columns `chosen` by name (--columns revenue=本季收入): the
    user has read that header and says what it holds."""
    for f in files:
        for line in f.title:
            named = periods_in(line)
            if named and period not in named:
                _other_span(f, f"标题行「{line}」写的报告期", period)
            if (words := other_span(line, period)) is not None:
                _other_span(f, f"标题行「{line}」写的{words}", period)
        for key in ("revenue", "revenue_prior"):
            if key in f.columns and key not in chosen:
                header = f.headers[f.columns[key]]
                if (words := other_span(header, period)) is not None:
                    _other_span(f, f"表头「{header}」写的{words}", period)


def _other_span(f: InputFile, said: str, period: Period) -> None:
    raise InputError(
        f"{f.shown}：{said}不是本次测算的报告期 {period.label}（自年初累计）"
        "（the file names other months than the period of the run）",
        hint="digicons 读取自年初起的累计数（如 1-9月）；请核对 --period 或文件。"
        "单季的数由 --quarter-only 从本期和上期的累计文件得出。",
    )


def check_footer_units(issues: Sequence[RowIssue], unit: str) -> None:
    """A note under a report that names another unit than the one the run reads the file in
    (注：本表金额单位为万元, read in 千元) would make every figure wrong by a factor: refused."""
    for issue in issues:
        if issue.reason != "footer_line":
            continue
        named = title_units([v for k in ("credit_code", "name") if (v := issue.values.get(k))])
        if named - {unit}:
            raise InputError(
                f"{issue.file} 第{issue.row}行的注释写明金额单位为{'、'.join(sorted(named))}，"
                f"而本次按{unit}读取（a note under the table names another unit）",
                hint="请用 --input-unit 指定营业收入的单位，或改正表头或注释。",
            )


def check_distinct_inputs(files: Sequence[tuple[Path, str]]) -> None:
    """Two inputs with the same content (a copy under another name) would count every row
    twice, then reject one of each as a repeated credit code: refused."""
    first: dict[str, Path] = {}
    for path, digest in files:
        other = first.setdefault(digest, path)
        if other != path:
            raise InputError(
                f"{path} 与 {other} 内容相同（the two inputs are the same file under two names）",
                hint="请只给出其中一个。",
            )


def check_not_an_input(side: str, path: Path, digest: str, inputs: dict[Path, str]) -> None:
    """A side file may not be one of the inputs: the same path, or the same content."""
    for other, other_digest in inputs.items():
        if path.resolve() == other.resolve() or digest == other_digest:
            raise InputError(
                f"{path}：{SIDE_NAMES[side]}与输入文件 {other} 是同一个文件或内容相同"
                "（the file is one of the inputs）",
                hint="请给出另一期的文件。",
            )
