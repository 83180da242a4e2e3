"""The credit-code pass: one stream of every credit code, in Arrow batches.

Finds what needs the whole column at once: codes that repeat (candidates for duplicates) and codes
whose check digit fails, and the normalised form of every code that is not already plain. What
leaves the pass is small: a `marks` table with one row per 64-bit hash (DuckDB's `hash()` of the
code as read), which the main scan joins.

- Plain codes (18 digits or capital letters, the usual case) are their own normal form; their
  check digit is computed column-wise in numpy.
- Other codes are normalised like every code (surrounding spaces of any width removed, upper case)
  and checked one by one; only those whose normal form differs from what was read need a mark.
- Repeated codes are found by sorting the hashes of the normal forms. A hash collision can only
  make two different codes candidates; the duplicate rule itself compares the codes
  (`queries/settled.sql`). Marks of normalised or failing codes carry the code as read, and apply
  only to rows that read exactly that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from digicons.errors import InternalError
from digicons.measure.creditcode import code_matrix, is_valid, plain_rows, valid_matrix

# What clean() in queries/macros.sql trims.
SPACES = " \t\n\r\u00a0\u3000"
BATCH_ROWS = 1 << 20
MARKS_SCHEMA = pa.schema(
    [
        ("h", pa.uint64()),
        ("raw", pa.string()),
        ("code", pa.string()),
        ("repeated", pa.bool_()),
        ("check_failed", pa.bool_()),
    ]
)


def normalise(raw: str) -> str:
    """The normal form of one credit code as read."""
    return raw.strip(SPACES).upper()


@dataclass
class _Collected:
    hashes: list[np.ndarray] = field(default_factory=list)  # of every non-empty normal form
    # h (of the code as read) → (raw, normal form or None if plain, normal-form hash, failed)
    special: dict[int, tuple[str, str | None, int, bool]] = field(default_factory=dict)


def mark_codes(
    con: duckdb.DuckDBPyConnection, view: str, progress: Callable[[int], None] | None = None
) -> pa.Table:
    """Stream the credit codes of `view` (credit_code_raw) and return the marks table."""
    # `view` is one of the fixed view names of the pipeline, never text from an input.
    reader = con.sql(
        f"SELECT credit_code_raw AS raw, hash(credit_code_raw) AS h FROM {view}"
    ).to_arrow_reader(BATCH_ROWS)
    seen = _Collected()
    done = 0
    # Hashing the normal forms is a query of its own, on a second connection: the first is busy
    # streaming. (It needs none of the first connection's temporary views.)
    hasher = con.cursor()
    for batch in reader:
        _batch(hasher, batch.column(0), np.asarray(batch.column(1)), seen)
        done += batch.num_rows
        if progress is not None:
            progress(done)
    hasher.close()
    return _marks(seen)


def _batch(con: duckdb.DuckDBPyConnection, raw: pa.Array, h: np.ndarray, seen: _Collected) -> None:
    rows, matrix = code_matrix(raw)
    plain = plain_rows(matrix)
    plain_at = rows[plain]
    valid = valid_matrix(matrix[plain])
    seen.hashes.append(h[plain_at])
    for position in plain_at[~valid]:
        key = int(h[position])
        seen.special[key] = (str(raw[int(position)]), None, key, True)
    # Everything else that is not null goes through the general rule, one value at a time: these
    # are few in real files (and each distinct value is normalised once).
    others = np.ones(len(raw), dtype=bool)
    others[plain_at] = False
    if raw.null_count:
        others &= np.asarray(raw.is_valid())
    positions = np.flatnonzero(others)
    if not len(positions):
        return
    texts = pc.take(raw, pa.array(positions)).to_pylist()
    normal = [normalise(t) for t in texts]
    changed = [n != t for n, t in zip(normal, texts, strict=True)]
    normal_hashes = _duckdb_hashes(con, normal)
    keep = np.array([n != "" for n in normal], dtype=bool)
    seen.hashes.append(normal_hashes[keep])
    for i, position in enumerate(positions):
        failed = normal[i] != "" and not is_valid(normal[i])
        # Codes of another length fail the check in SQL (queries/judged.sql); only a normal form
        # that differs from what was read, or an 18-character code that fails, needs a mark.
        if changed[i] or (failed and len(normal[i]) == 18):
            seen.special[int(h[position])] = (
                texts[i],
                normal[i] if changed[i] else None,
                int(normal_hashes[i]),
                failed,
            )


def _duckdb_hashes(con: duckdb.DuckDBPyConnection, values: list[str]) -> np.ndarray:
    """DuckDB's hash() of each string, so that normal forms hash like plain codes read as such."""
    table = pa.table({"v": pa.array(values, pa.string())})
    hashes = con.from_arrow(table).project("hash(v) AS h").to_arrow_table().column(0)
    return np.asarray(hashes.to_numpy(), dtype=np.uint64)


def _marks(seen: _Collected) -> pa.Table:
    hashes = np.concatenate(seen.hashes) if seen.hashes else np.zeros(0, np.uint64)
    hashes.sort()
    repeated = np.unique(hashes[1:][hashes[1:] == hashes[:-1]])
    repeated_set = set(repeated.tolist())
    entries: dict[int, tuple[str | None, str | None, bool, bool]] = {
        int(h): (None, None, True, False) for h in repeated
    }
    for h, (raw, normal, normal_hash, failed) in seen.special.items():
        is_repeated = normal_hash in repeated_set
        if h in entries and normal is not None and h != normal_hash:
            # The hash of a code as read equals the hash of another code's normal form: the two
            # marks cannot be told apart by hash. (About one chance in 10^9 per run.)
            raise InternalError(f"hash collision between credit codes ({raw!r})")
        entries[h] = (raw, normal, is_repeated, failed)
    keys = sorted(entries)
    return pa.table(
        [
            pa.array(keys, pa.uint64()),
            pa.array([entries[k][0] for k in keys], pa.string()),
            pa.array([entries[k][1] for k in keys], pa.string()),
            pa.array([entries[k][2] for k in keys], pa.bool_()),
            pa.array([entries[k][3] for k in keys], pa.bool_()),
        ],
        schema=MARKS_SCHEMA,
    )
