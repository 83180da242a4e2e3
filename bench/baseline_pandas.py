"""Baseline (a): the obvious pandas script: read, merge the class → category table, groupby."""

from __future__ import annotations

import sys

import pandas as pd

from digicons.scope.catalogue import load_catalogue


def main(path: str) -> None:
    catalogue = load_catalogue()
    mapping = pd.DataFrame(
        [
            (a.class_code, a.minor, *[c.code for c in catalogue.lineage(a.minor)[:2]])
            for a in catalogue.class_map()
            if a.minor is not None
        ],
        columns=["行业代码", "minor", "major", "medium"],
    )
    columns = ["行业代码", "营业收入", "营业收入上年同期"]
    if path.endswith(".parquet"):
        frame = pd.read_parquet(path, columns=columns)
    else:
        frame = pd.read_csv(path, usecols=columns, dtype={"行业代码": str})
    frame["营业收入"] = pd.to_numeric(frame["营业收入"], errors="coerce")
    frame["营业收入上年同期"] = pd.to_numeric(frame["营业收入上年同期"], errors="coerce")
    merged = frame.merge(mapping, on="行业代码", how="inner")
    sums = [
        merged.groupby(keys)[["营业收入", "营业收入上年同期"]].sum()
        for keys in (["major"], ["major", "medium"], ["major", "medium", "minor"])
    ]
    print(sum(len(s) for s in sums), float(merged["营业收入"].sum()))


if __name__ == "__main__":
    main(sys.argv[1])
