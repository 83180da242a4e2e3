"""Synthetic enterprise files: valid credit codes, real classes, log-normal revenue."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from digicons.errors import UsageError
from digicons.measure.creditcode import CHARSET, WEIGHTS
from digicons.outputs.staging import write_atomically
from digicons.period import Period
from digicons.scope.catalogue import load_catalogue

# Real GB/T 4754-2017 classes: some of every division, every class the appendix names, and more
# of the divisions that overlap (52, 71, 86, O, ...). Checked against the reference in the tests.
_CLASS_LIST = """
    0111 0151 0211 0232 0311 0322 0411 0421 0511 0522 0610 0620 0711 0721 0810 0820 0911
    0919 1011 1030 1110 1120 1200 1311 1353 1411 1452 1511 1521 1610 1620 1711 1752 1811
    1821 1910 1939 2011 2032 2110 2130 2211 2222 2311 2319 2411 2438 2511 2524 2611 2651
    2710 2750 2811 2824 2911 2922 3011 3054 3110 3130 3211 3222 3311 3359 3411 3451 3511
    3561 3611 3640 3711 3739 3811 3849 3911 3912 3913 3919 3921 3922 3939 3951 3952 3953
    3961 3962 3963 3964 3969 3973 3982 3984 4011 4024 4111 4120 4210 4220 4310 4343 4411
    4416 4511 4513 4610 4630 4710 4720 4811 4852 4910 4991 5011 5021 5111 5123 5134 5145
    5163 5174 5211 5227 5239 5244 5251 5266 5273 5274 5284 5292 5311 5331 5411 5414 5422
    5432 5435 5438 5511 5522 5611 5623 5710 5720 5810 5822 5910 5949 6010 6020 6090 6110
    6121 6129 6130 6140 6190 6210 6220 6231 6232 6233 6239 6311 6312 6319 6321 6322 6331
    6339 6410 6421 6422 6429 6431 6432 6433 6439 6450 6490 6511 6513 6520 6532 6550 6571
    6572 6579 6610 6622 6624 6631 6633 6635 6637 6711 6739 6811 6813 6820 6840 6852 6860
    6911 6919 6920 6930 6940 6950 7010 7020 7030 7040 7090 7111 7113 7114 7115 7121 7123
    7125 7211 7222 7241 7251 7271 7289 7310 7330 7410 7463 7511 7517 7610 7630 7711 7721
    7810 7850 7910 7930 8010 8020 8030 8040 8051 8052 8111 8113 8121 8122 8129 8132 8192
    8211 8219 8221 8222 8223 8224 8310 8322 8332 8334 8336 8342 8411 8414 8421 8424 8432
    8435 8511 8516 8610 8621 8622 8623 8624 8625 8626 8710 8720 8730 8740 8750 8760 8770
    8810 8820 8831 8832 8840 8850 8911 8912 8919 8921 8929 8930 9011 9013 9020 9041 9049
    9052 9100 9210 9225 9310 9320 9411 9415 9511 9522 9610 9620 9700
"""
CLASSES = tuple(_CLASS_LIST.split())
# Beijing's 16 districts (GB/T 2260).
DISTRICTS = (
    "110101",
    "110102",
    "110105",
    "110106",
    "110107",
    "110108",
    "110109",
    "110111",
    "110112",
    "110113",
    "110114",
    "110115",
    "110116",
    "110117",
    "110118",
    "110119",
)
_NAME_HEADS = (
    "京华",
    "中关",
    "博远",
    "云启",
    "星河",
    "华信",
    "融创",
    "智联",
    "长安",
    "新元",
    "易达",
    "天行",
    "海纳",
    "明德",
    "安泰",
    "鼎盛",
    "瑞丰",
    "东方",
    "恒通",
    "金桥",
)
_NAME_TAILS = (
    "科技有限公司",
    "信息技术有限公司",
    "商贸有限公司",
    "文化传媒有限公司",
    "网络科技有限公司",
    "餐饮管理有限公司",
    "物流有限公司",
    "股份有限公司",
)
DIGITAL_SHARE = 0.35


def provinces() -> tuple[str, ...]:
    """The 31 provincial-level divisions (GB/T 2260), from classification/gbt2260_regions.csv."""
    from digicons.scope.regions import region_levels

    return tuple(code for code, level in region_levels().items() if level == "province")


@dataclass(frozen=True)
class SampleSpec:
    """What to generate."""

    rows: int
    period: Period
    seed: int = 2021
    dirty_rate: float = 0.002  # share of rows with a deliberate defect, to exercise rejects
    regions: str = "beijing"  # beijing: the 16 districts; provinces: the 31 provinces
    scale: float = 1.0  # revenue and 上年同期 multiplied: an earlier quarter of the same year

    def __post_init__(self) -> None:
        if self.rows < 1:
            raise UsageError("--rows 至少为 1（--rows must be at least 1）")
        if not 0 <= self.dirty_rate <= 1:
            raise UsageError(f"--dirty-rate {self.dirty_rate}：应在 0 到 1 之间（a share of rows）")
        if not self.scale > 0:
            raise UsageError(f"--scale {self.scale}：应大于 0（must be positive）")


def generate(spec: SampleSpec) -> pa.Table:
    """An enterprise table with the Chinese headers of a 联网直报 export (revenue in 千元)."""
    rng = np.random.default_rng(spec.seed)
    n = spec.rows
    catalogue = load_catalogue()
    digital = np.array([catalogue.resolve(c).minor is not None for c in CLASSES])
    weights = np.where(
        digital, DIGITAL_SHARE / digital.sum(), (1 - DIGITAL_SHARE) / (~digital).sum()
    )
    codes = np.array(CLASSES)[rng.choice(len(CLASSES), size=n, p=weights)]
    places = DISTRICTS if spec.regions == "beijing" else provinces()
    regions = np.array(places)[rng.integers(0, len(places), size=n)]
    revenue = np.round(rng.lognormal(mean=8.0, sigma=1.8, size=n), 1)
    growth = rng.normal(0.08, 0.12, size=n).clip(-0.9, 3.0)
    prior = np.round(revenue / (1 + growth), 1)
    if spec.scale != 1.0:  # drawn first, scaled after: the same enterprises, the same classes
        revenue = np.round(revenue * spec.scale, 1)
        prior = np.round(prior * spec.scale, 1)
    credit = credit_codes(rng, regions)
    names = np.char.add(
        np.char.add("北京", np.array(_NAME_HEADS)[rng.integers(0, len(_NAME_HEADS), size=n)]),
        np.char.add(
            np.char.mod("%d", rng.integers(1, 10_000, size=n)),
            np.array(_NAME_TAILS)[rng.integers(0, len(_NAME_TAILS), size=n)],
        ),
    )
    revenue_text = revenue.astype(str).astype(object)
    prior_text = prior.astype(str).astype(object)
    prior_text[rng.random(n) < 0.08] = None  # new enterprises have no 上年同期
    codes = codes.astype(object)
    credit = credit.astype(object)
    dirty = np.flatnonzero(rng.random(n) < spec.dirty_rate)
    for k, row in enumerate(dirty):
        kind = k % 4
        if kind == 0:
            codes[row] = None
        elif kind == 1:
            codes[row] = "52X1"
        elif kind == 2:
            revenue_text[row] = "不详"
        elif row > 0:
            credit[row] = credit[row - 1]  # a duplicate of the row before
    return pa.table(
        {
            "统一社会信用代码": pa.array(credit, pa.string()),
            "单位详细名称": pa.array(names.astype(object), pa.string()),
            "行业代码": pa.array(codes, pa.string()),
            "区划代码": pa.array(regions.astype(object), pa.string()),
            "营业收入": pa.array(revenue_text, pa.string()),
            "营业收入上年同期": pa.array(prior_text, pa.string()),
            "报告期": pa.array(np.full(n, spec.period.key).astype(object), pa.string()),
        }
    )


def credit_codes(rng: np.random.Generator, regions: np.ndarray) -> np.ndarray:
    """Valid 18-character codes: 91 (enterprise), the district, a random body, the check digit."""
    n = len(regions)
    digits = np.empty((n, 17), dtype=np.int64)
    digits[:, 0], digits[:, 1] = 9, 1
    region_digits = np.frombuffer(regions.astype("S6").tobytes(), dtype=np.uint8).reshape(n, 6)
    digits[:, 2:8] = region_digits - ord("0")
    digits[:, 8:17] = rng.integers(0, 10, size=(n, 9))
    digits[:, 16] = rng.integers(0, len(CHARSET), size=n)  # the last body character may be a letter
    total = (digits * np.array(WEIGHTS)).sum(axis=1)
    check = (31 - total % 31) % 31
    charset = np.frombuffer(CHARSET.encode(), dtype=np.uint8)
    chars = np.concatenate([charset[digits], charset[check][:, None]], axis=1).astype(np.uint8)
    return np.frombuffer(chars.tobytes(), dtype="S18").astype(str)


CHUNK_ROWS = 2_000_000  # large files are written in chunks, each from its own derived seed


def write_sample(spec: SampleSpec, path: Path, *, overwrite: bool = False) -> int:
    """Write a sample as Parquet or CSV (UTF-8), atomically, in chunks; return the row count.
    An existing file is replaced only when `overwrite` is given: a sample named like a real
    quarter's file would destroy it, and no mark in a CSV tells a sample from data."""
    suffix = path.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise UsageError(
            f"{path}：样例请写为 .parquet 或 .csv（write the sample as .parquet or .csv）"
        )
    if path.exists() and not overwrite:
        raise UsageError(
            f"{path}：文件已存在，为免误删，不覆盖（refusing to overwrite an existing file）",
            hint="请另选文件名，或加 --overwrite 替换它。",
        )
    sizes = [min(CHUNK_ROWS, spec.rows - start) for start in range(0, spec.rows, CHUNK_ROWS)]

    def chunks() -> Iterator[pa.Table]:
        for index, size in enumerate(sizes):
            seed = spec.seed if index == 0 else spec.seed * 1_000_003 + index
            yield generate(replace(spec, rows=size, seed=seed))

    def write(temp: Path) -> None:
        writer: pq.ParquetWriter | pa_csv.CSVWriter | None = None
        try:
            for table in chunks():
                if writer is None:
                    writer = (
                        pq.ParquetWriter(temp, table.schema)
                        if suffix == ".parquet"
                        else pa_csv.CSVWriter(temp, table.schema)
                    )
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()

    write_atomically(path, write)
    return spec.rows
