"""Unified social credit codes (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(r"[0-9ANY][0-9A-HJ-NPQRTUWXY]{17}")


def check_character(first17: str) -> str:
    """The 18th character that makes `first17` a valid code."""
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """Shape (first character a digit or A / N / Y) and check digit."""
    return bool(_SHAPE.fullmatch(code)) and check_character(code[:17]) == code[17]


_VALUE = np.full(256, -1, dtype=np.int64)
for _i, _ch in enumerate(CHARSET):
    _VALUE[ord(_ch)] = _i
_FIRST = np.zeros(256, dtype=bool)
for _ch in "0123456789ANY":
    _FIRST[ord(_ch)] = True
_WEIGHTS = np.array(WEIGHTS, dtype=np.int64)


def valid_array(codes: pa.Array | pa.ChunkedArray) -> pa.Array:
    """`is_valid` over a whole Arrow column at once (DuckDB calls it as the SQL uscc_valid)."""
    array = codes.combine_chunks() if isinstance(codes, pa.ChunkedArray) else codes
    array = array.cast(pa.large_string())
    result = np.zeros(len(array), dtype=bool)
    lengths = pc.fill_null(pc.binary_length(array), 0).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(lengths == 18)
    if len(rows):
        # Every kept code is 18 ASCII bytes: their bytes form an (n, 18) matrix.
        chosen = array if len(rows) == len(array) else array.take(pa.array(rows))
        offsets = np.frombuffer(chosen.buffers()[1], dtype=np.int64)[: len(chosen) + 1]
        data = np.frombuffer(chosen.buffers()[2], dtype=np.uint8)
        matrix = data[offsets[0] : offsets[0] + 18 * len(chosen)].reshape(-1, 18)
        values = _VALUE[matrix]
        shaped = (values >= 0).all(axis=1) & _FIRST[matrix[:, 0]]
        check = (31 - (values[:, :17] * _WEIGHTS).sum(axis=1) % 31) % 31
        result[rows] = shaped & (check == values[:, 17])
    return pa.array(result)
