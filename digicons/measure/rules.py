"""Every reason a row is rejected and every flag a kept row carries, in one table.

The SQL fragments that evaluate the row-level rules, the Python that evaluates the others, the
decoder of query results and every label in the workbook, JSON and terminal come from `RULES`.
A reason's id is its position among the rejects, in order of precedence (the first that applies
wins); a flag's bit is its position among the flags. `check_rules()` runs when the module loads.

Stages say where a rule is evaluated:
- ``read``: by the reader of a file (a record the parser could not take as it is);
- ``key``: once per distinct (industry code, region, period) value, in Python (`measure.keys`);
- ``code``: once per credit code, in the credit-code pass (`measure.marks`);
- ``row``: per row, in SQL (`queries/judged.sql`), from the `sql` condition given here;
- ``dedup``: after aggregation, among the rows that share a credit code (`queries/settled.sql`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

from digicons.errors import InternalError


class Action(StrEnum):
    REJECT = "reject"
    FLAG = "flag"


class Stage(StrEnum):
    READ = "read"
    KEY = "key"
    CODE = "code"
    ROW = "row"
    DEDUP = "dedup"


@dataclass(frozen=True)
class Rule:
    """One reject reason or data-quality flag."""

    key: str
    label: str  # Chinese, as every output shows it
    action: Action
    stage: Stage
    needs: tuple[str, ...]  # the input columns it reads (logical keys of inputs.headers)
    sql: str | None = None  # row stage: a boolean over the columns of queries/judged.sql
    hint: str | None = None  # what to check when it rejects every row of a run
    # False for the rows that are no enterprise's (a note under the table, a header repeated):
    # their cells are no one's credit code or amount, so they carry no flags.
    enterprise: bool = True


R, F = Action.REJECT, Action.FLAG
_CODE_HINT = (
    "请检查行业代码列：应为4位小类代码（如 6422）；列名不同时用 --columns industry_code=表头 指定。"
)
_REVENUE_HINT = "请检查营业收入列是否为数值；列名不同时用 --columns revenue=表头 指定。"
_PERIOD_HINT = "请检查 --period 是否与文件的报告期一致。"
# Order matters: rejects are listed by precedence, flags by bit.
RULES: tuple[Rule, ...] = (
    Rule(
        "record_multiline",
        "记录跨越多行（可能有未闭合的引号）",
        R,
        Stage.READ,
        (),
        hint="请检查文件中的引号是否成对。",
    ),
    Rule(
        "record_field_count",
        "字段数与表头不符",
        R,
        Stage.READ,
        (),
        hint="请检查分隔符，以及数据行的字段数是否与表头相同。",
    ),
    Rule(
        "formula_uncalculated",
        "营业收入、行业代码或报告期为没有有效值的公式（未计算，或为 #DIV/0!、#N/A 等错误值）",
        R,
        Stage.READ,
        (),
        hint="请在电子表格程序中打开文件、重新计算并保存后再读取。",
    ),
    Rule(
        "footer_line",
        "不是企业行（表尾的注释或签署行）",
        R,
        Stage.ROW,
        ("industry_code", "revenue"),
        # revenue_value first: the one condition every row has at hand.
        "revenue_value IS NULL AND blank(revenue_raw) AND blank(industry_code_raw)"
        " AND (footer_text(credit_code_raw) OR footer_text(name_raw))",
        enterprise=False,
    ),
    Rule(
        "header_repeated",
        "不是企业行（重复的表头，如多个文件首尾相接）",
        R,
        Stage.KEY,
        ("industry_code",),
        enterprise=False,
    ),
    Rule(
        "industry_code_missing", "行业代码缺失", R, Stage.KEY, ("industry_code",), hint=_CODE_HINT
    ),
    Rule(
        "industry_code_malformed",
        "行业代码格式错误（应为4位小类代码）",
        R,
        Stage.KEY,
        ("industry_code",),
        hint=_CODE_HINT,
    ),
    Rule(
        "industry_code_three_digits",
        "行业代码为3位数字：可能是中类代码，也可能是丢失前导零的小类，两者归类不同",
        R,
        Stage.KEY,
        ("industry_code",),
        hint=_CODE_HINT,
    ),
    Rule(
        "industry_code_unknown",
        "行业代码不是国民经济行业分类（GB/T 4754-2017）的小类",
        R,
        Stage.KEY,
        ("industry_code",),
        hint=_CODE_HINT,
    ),
    Rule(
        "industry_code_section_mismatch",
        "行业代码的门类字母与大类不符",
        R,
        Stage.KEY,
        ("industry_code",),
        hint=_CODE_HINT,
    ),
    Rule(
        "revenue_missing",
        "营业收入缺失",
        R,
        Stage.ROW,
        ("revenue",),
        "revenue_value IS NULL AND blank(revenue_raw)",
        hint=_REVENUE_HINT,
    ),
    Rule(
        "revenue_too_large",
        "营业收入数值过大（达到10^14，无法精确计算）",
        R,
        Stage.ROW,
        ("revenue",),
        "revenue_value IS NULL AND amount_too_large(revenue_raw)",
        hint="请核对营业收入的单位和数值（是否多了位数，或粘贴了其他列）。",
    ),
    Rule(
        "revenue_not_numeric",
        "营业收入不是数值",
        R,
        Stage.ROW,
        ("revenue",),
        "revenue_value IS NULL",
        hint=_REVENUE_HINT,
    ),
    Rule("period_unrecognised", "报告期无法识别", R, Stage.KEY, ("period",), hint=_PERIOD_HINT),
    Rule("period_mismatch", "报告期与本次统计期不符", R, Stage.KEY, ("period",), hint=_PERIOD_HINT),
    Rule(
        "duplicate_credit_code",
        "统一社会信用代码重复（保留首次出现的行）",
        R,
        Stage.DEDUP,
        ("credit_code",),
    ),
    Rule(
        "credit_code_missing",
        "统一社会信用代码缺失",
        F,
        Stage.ROW,
        ("credit_code",),
        "coalesce(credit_code, '') = '' AND NOT code_numeric",
    ),
    Rule(
        "credit_code_check_failed",
        "统一社会信用代码校验位错误（GB 32100-2015）",
        F,
        Stage.CODE,
        ("credit_code",),
    ),
    Rule(
        "revenue_negative",
        "营业收入为负",
        F,
        Stage.ROW,
        ("revenue",),
        "coalesce(revenue < 0, false)",
    ),
    Rule("name_missing", "单位名称缺失", F, Stage.ROW, ("name",), "blank(name_raw)"),
    Rule("region_missing", "区划代码缺失", F, Stage.KEY, ("region",)),
    Rule(
        "region_malformed",
        "区划代码位数不对（应为6位，或9、12位统计用区划代码）：不计入地区表",
        F,
        Stage.KEY,
        ("region",),
    ),
    Rule(
        "region_unrecognised",
        "区划代码无法识别（不是6位代码，也不是只对应一个区划的名称）：在地区表中按原文列示",
        F,
        Stage.KEY,
        ("region",),
    ),
    Rule(
        "revenue_prior_not_numeric",
        "营业收入上年同期不是数值或数值过大（按缺失处理）",
        F,
        Stage.ROW,
        ("revenue_prior",),
        "revenue_prior_value IS NULL AND NOT blank(revenue_prior_raw)",
    ),
    # A spreadsheet's General format shows a number of more than 11 digits as 1.23457E+11, and a
    # CSV saved from it keeps six significant digits. Such a value is a multiple of 1,000: the
    # cheap test spares every other row the search for the letter (the 10M-row scan: 0.17 s).
    Rule(
        "amount_scientific",
        "营业收入或上年同期为科学计数法（如 1.23457E+11），可能只保留了6位有效数字："
        "请在源文件中核对",
        F,
        Stage.ROW,
        ("revenue",),
        "(revenue_value % 1000 = 0"
        " AND (contains(revenue_raw, 'E') OR contains(revenue_raw, 'e')))"
        " OR (revenue_prior_value % 1000 = 0"
        " AND (contains(revenue_prior_raw, 'E') OR contains(revenue_prior_raw, 'e')))",
    ),
    Rule(
        "industry_code_padded",
        "行业代码补零（原为3位数字，请核对）",
        F,
        Stage.KEY,
        ("industry_code",),
    ),
    Rule(
        "industry_code_name_mismatch",
        "行业代码所带名称与行业代码表不符（按代码归类，请核对）",
        F,
        Stage.KEY,
        ("industry_code",),
    ),
    Rule(
        "credit_code_numeric",
        "统一社会信用代码为数值（可能已丢失位数），不用于重复检查和上年匹配",
        F,
        Stage.CODE,
        ("credit_code",),
    ),
    Rule(
        "formula_uncalculated_kept",
        "单元格为没有有效值的公式（未计算或为错误值，按空值处理）",
        F,
        Stage.READ,
        (),
    ),
    Rule(
        "period_missing",
        "报告期为空，而同一文件的其他行有报告期：按本次统计期计入",
        F,
        Stage.KEY,
        ("period",),
    ),
)

REJECTS: tuple[Rule, ...] = tuple(r for r in RULES if r.action is Action.REJECT)
FLAGS: tuple[Rule, ...] = tuple(r for r in RULES if r.action is Action.FLAG)
BY_KEY: dict[str, Rule] = {r.key: r for r in RULES}
LABELS: dict[str, str] = {r.key: r.label for r in RULES}


def reason_id(key: str) -> int:
    """The id of a reject reason in SQL: its place in order of precedence, from 1."""
    return REJECTS.index(BY_KEY[key]) + 1


def flag_bit(key: str) -> int:
    """The bit of a flag in `flag_bits`."""
    return 1 << FLAGS.index(BY_KEY[key])


def reason_of(value: int | None) -> str | None:
    """Decode a reason id from a query result; an id outside the table is an internal error."""
    if value is None:
        return None
    if not 1 <= value <= len(REJECTS):
        raise InternalError(f"reject reason id {value} is not in the rules table")
    return REJECTS[value - 1].key


@functools.cache  # a run's rows share a few combinations of flags
def flags_of(bits: int) -> tuple[str, ...]:
    """Decode flag bits from a query result; a bit outside the table is an internal error."""
    if bits >> len(FLAGS):
        raise InternalError(f"flag bits {bits:#x} name flags that are not in the rules table")
    return tuple(rule.key for i, rule in enumerate(FLAGS) if bits >> i & 1)


def no_enterprise_ids() -> str:
    """The ids of the reasons that say a row is no enterprise's, as an SQL list."""
    return ", ".join(str(reason_id(r.key)) for r in REJECTS if not r.enterprise)


def row_reason_sql() -> str:
    """The row-stage reject rules as one SQL expression: the id of the first that holds."""
    cases = [f"WHEN {r.sql} THEN {reason_id(r.key)}" for r in REJECTS if r.stage is Stage.ROW]
    return "CASE " + " ".join(cases) + " END"


def row_flags_sql() -> str:
    """The row-stage flag rules as one SQL expression: the sum of their bits.

    CASE, not `bit * CAST(condition AS INTEGER)`: DuckDB then evaluates each condition on the
    rows that reach it, and the scan of 10M rows is 0.4 s faster (measured, bench/profile.md).
    """
    return " + ".join(
        f"CASE WHEN {r.sql} THEN {flag_bit(r.key)} ELSE 0 END"
        for r in FLAGS
        if r.stage is Stage.ROW
    )


def read_reasons() -> dict[str, int]:
    """The ids of the read-stage rejects, for the readers of files."""
    return {r.key: reason_id(r.key) for r in REJECTS if r.stage is Stage.READ}


def check_rules(known_columns: frozenset[str]) -> None:
    """Refuse a table that cannot work: repeated keys or labels, SQL in the wrong stage, unknown
    columns, more flags than bits."""
    keys = [r.key for r in RULES]
    labels = [r.label for r in RULES]
    if len(set(keys)) != len(keys) or len(set(labels)) != len(labels):
        raise InternalError("the rules table repeats a key or a label")
    for rule in RULES:
        if (rule.sql is None) == (rule.stage is Stage.ROW):
            raise InternalError(f"rule {rule.key}: SQL is given exactly for row-stage rules")
        if not set(rule.needs) <= known_columns:
            raise InternalError(f"rule {rule.key} needs unknown columns {rule.needs}")
    if len(FLAGS) > 31:
        raise InternalError("more flags than the bits of an INTEGER")
