"""Baseline (b): a bare DuckDB query, the same join and GROUP BY ROLLUP, no validation or output."""

from __future__ import annotations

import sys

import duckdb
import pyarrow as pa

from digicons.scope.catalogue import load_catalogue


def main(path: str) -> None:
    catalogue = load_catalogue()
    rows = [
        (a.class_code, a.minor, *[c.code for c in catalogue.lineage(a.minor)[:2]])
        for a in catalogue.class_map()
        if a.minor is not None
    ]
    mapping = pa.table(
        {k: [r[i] for r in rows] for i, k in enumerate(["code", "minor", "major", "medium"])}
    )
    with duckdb.connect() as con:
        con.register("mapping", mapping)
        source = (
            con.read_parquet(path)
            if path.endswith(".parquet")
            else con.read_csv(path, header=True, all_varchar=True)
        )
        source.create_view("source")
        result = con.execute(
            """
            SELECT m.major, m.medium, m.minor, count(*),
                   sum(TRY_CAST(s."营业收入" AS DECIMAL(18, 4))),
                   sum(TRY_CAST(s."营业收入上年同期" AS DECIMAL(18, 4)))
            FROM source AS s JOIN mapping AS m ON m.code = s."行业代码"
            GROUP BY ROLLUP (m.major, m.medium, m.minor)
            """
        ).fetchall()
    print(len(result))


if __name__ == "__main__":
    main(sys.argv[1])
