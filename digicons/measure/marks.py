"""The credit-code pass: one stream of every credit code, in Arrow batches.

Finds what needs the whole column at once: codes that repeat (candidates for duplicates), codes
whose check digit fails, codes that went through a number type, and the normal form of every code
that is not already plain. What leaves the pass is small: a `marks` table with one row per 64-bit
hash (DuckDB's `hash()` of the code as read), which the main scan joins.

- Plain codes (18 digits or capital letters, the usual case, not starting with 0) are their own
  normal form; their check digit is computed column-wise in numpy.
- Other codes are normalised by `inputs.normalise.credit_codes`, column-wise; only those whose
  normal form differs from what was read, that fail the check, or that went through a number
  type need a mark. Numeric codes take no part in finding repeated codes (digits were lost).
- Repeated codes are found by sorting the hashes of the normal forms. A hash collision can only
  make two different codes candidates; the duplicate rule itself compares the codes
  (`queries/settled.sql`). Marks of normalised, failing or numeric codes carry the code as read,
  and apply only to rows that read exactly that.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from digicons.errors import InternalError
from digicons.inputs.normalise import credit_codes
from digicons.measure.creditcode import check_matrix, code_matrix, valid_array
from digicons.resources import sql

# Small batches (2 MB of codes and hashes): DuckDB fills its stream's buffer (10 MB) with the next
# ones while numpy works through this one, and the same memory serves batch after batch. Batches
# of 1M rows (30 MB) left DuckDB waiting and touched fresh pages each time: on 10M rows the pass
# took 0.52-0.59 s (124k page faults) against 0.36-0.39 s (55k) now.
BATCH_ROWS = 1 << 16
_SPECIAL = pa.schema(
    [
        ("h", pa.uint64()),
        ("raw", pa.string()),
        ("code", pa.string()),
        ("normal_h", pa.uint64()),
        ("check_failed", pa.bool_()),
        ("numeric", pa.bool_()),
    ]
)


def mark_codes(
    con: duckdb.DuckDBPyConnection, view: str, progress: Callable[[int], None] | None = None
) -> pa.Table:
    """Stream the credit codes of `view` (credit_code_raw) and return the marks table."""
    # `view` is one of the fixed view names of the pipeline, never text from an input.
    reader = con.sql(sql("codes", {"rows": view})).to_arrow_reader(BATCH_ROWS)
    hashes: list[np.ndarray] = []
    special: list[pa.Table] = []
    done = 0
    # Hashing normal forms is a query of its own, on a second connection: the first is busy
    # streaming. (It needs none of the first connection's temporary views.)
    hasher = con.cursor()
    try:
        for batch in reader:
            _batch(hasher, batch.column(0), np.asarray(batch.column(1)), hashes, special)
            done += batch.num_rows
            if progress is not None:
                progress(done)
        return _marks(hasher, hashes, special)
    finally:
        hasher.close()


def _batch(
    hasher: duckdb.DuckDBPyConnection,
    raw: pa.Array,
    h: np.ndarray,
    hashes: list[np.ndarray],
    special: list[pa.Table],
) -> None:
    if not isinstance(raw, pa.StringArray):
        raw = raw.cast(pa.string())
    rows, matrix = code_matrix(raw)
    plain, valid = check_matrix(matrix)
    # No registration authority has the digit 0: such a code (all zeros, the placeholder of
    # units without one) takes the general rule, which knows placeholders.
    plain &= matrix[:, 0] != ord("0")
    plain_at = rows[plain]
    valid = valid[plain]
    hashes.append(h[plain_at])
    failed_at = plain_at[~valid]
    if len(failed_at):
        taken = pa.array(failed_at)
        special.append(
            pa.table(
                [
                    pa.array(h[failed_at], pa.uint64()),
                    pc.take(raw, taken),
                    pa.nulls(len(failed_at), pa.string()),
                    pa.array(h[failed_at], pa.uint64()),
                    pa.array(np.ones(len(failed_at), dtype=bool)),
                    pa.array(np.zeros(len(failed_at), dtype=bool)),
                ],
                schema=_SPECIAL,
            )
        )
    # Everything else that is not null goes through the general rule, column-wise.
    others = np.ones(len(raw), dtype=bool)
    others[plain_at] = False
    if raw.null_count:
        others &= np.asarray(raw.is_valid())
    positions = np.flatnonzero(others)
    if not len(positions):
        return
    texts = pc.take(raw, pa.array(positions))
    normal, numeric = credit_codes(texts)
    normal_h = _duckdb_hashes(hasher, normal)
    numeric_np = np.asarray(numeric, dtype=bool)
    empty = np.asarray(pc.equal(normal, ""), dtype=bool)
    counted = ~numeric_np & ~empty
    hashes.append(normal_h[counted])
    failed = counted & ~np.asarray(valid_array(normal), dtype=bool)
    changed = np.asarray(pc.not_equal(normal, texts), dtype=bool)
    # Codes of another length fail the check in SQL (queries/judged.sql); an 18-character code
    # that fails, a normal form that differs from what was read, or a numeric code needs a mark.
    eighteen = np.asarray(pc.equal(pc.utf8_length(normal), 18), dtype=bool)
    needed = changed | (failed & eighteen) | numeric_np
    if not needed.any():
        return
    keep = pa.array(np.flatnonzero(needed))
    special.append(
        pa.table(
            [
                pa.array(h[positions[needed]], pa.uint64()),
                pc.take(texts, keep),
                pc.if_else(
                    pa.array(changed[needed]), pc.take(normal, keep), pa.scalar(None, pa.string())
                ),
                pa.array(normal_h[needed], pa.uint64()),
                pa.array(failed[needed]),
                pa.array(numeric_np[needed]),
            ],
            schema=_SPECIAL,
        )
    )


def _duckdb_hashes(hasher: duckdb.DuckDBPyConnection, values: pa.Array) -> np.ndarray:
    """DuckDB's hash() of each string, so that normal forms hash like plain codes read as such."""
    hashes = hasher.from_arrow(pa.table({"v": values})).project("hash(v) AS h").to_arrow_table()
    return np.asarray(hashes.column(0).to_numpy(), dtype=np.uint64)


def _marks(
    con: duckdb.DuckDBPyConnection, hashes: list[np.ndarray], special: list[pa.Table]
) -> pa.Table:
    every = np.concatenate(hashes) if hashes else np.zeros(0, np.uint64)
    every.sort()
    repeated = np.unique(every[1:][every[1:] == every[:-1]])
    del every
    con.register("code_entries", pa.concat_tables(special) if special else _SPECIAL.empty_table())
    con.register("repeated_hashes", pa.table({"h": pa.array(repeated, pa.uint64())}))
    try:
        table = con.sql(sql("marks")).to_arrow_table()
    finally:
        con.unregister("code_entries")
        con.unregister("repeated_hashes")
    if len(table) and (pc.max(table.column("raws")).as_py() or 0) > 1:
        # Two different codes as read under one hash cannot be told apart: refuse rather than
        # guess (about one chance in 10^9 per run).
        raise InternalError("hash collision between two credit codes as read")
    return table.drop_columns(["raws"])
