"""Unified social credit codes (统一社会信用代码, GB 32100-2015): shape and check digit."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(r"[0-9ANY][0-9A-HJ-NPQRTUWXY]{17}")


def check_character(first17: str) -> str:
    """The 18th character that makes `first17` a valid code."""
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def has_shape(code: str) -> bool:
    """Eighteen characters of the code's alphabet, the first a digit or A / N / Y."""
    return bool(_SHAPE.fullmatch(code))


def is_valid(code: str) -> bool:
    """Shape (first character a digit or A / N / Y) and check digit."""
    return has_shape(code) and check_character(code[:17]) == code[17]


# One byte → value table for the whole check: 0–30 the value of a code character; 254 a capital
# letter GB 32100 does not use (I, O, S, V, Z: plain, but never valid); 255 anything else (a byte
# that needs normalising first).
_NOT_PLAIN = 255
_UNUSED_LETTER = 254
_VALUE = np.full(256, _NOT_PLAIN, dtype=np.uint8)
_VALUE[ord("A") : ord("Z") + 1] = _UNUSED_LETTER
for _i, _ch in enumerate(CHARSET):
    _VALUE[ord(_ch)] = _i
_FIRST = np.zeros(256, dtype=bool)
for _ch in "0123456789ANY":
    _FIRST[ord(_ch)] = True


def check_matrix(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(plain, valid) of each row of an (n, 18) matrix of bytes: plain, only digits and capital
    letters (no normalising needed); valid, `is_valid` (meaningful where plain).

    Column-wise on the transposed matrix: numpy reduces 18 long rows far faster than n short ones,
    and integer multiply-adds over whole rows need no float copy.
    """
    columns = np.ascontiguousarray(matrix.T)
    values = _VALUE[columns]
    top = np.maximum.reduce(values, axis=0) if len(values) else np.zeros(0, np.uint8)
    total = np.zeros(columns.shape[1], dtype=np.int32)  # at most 17 × 30 × 254: no overflow
    for position, weight in enumerate(WEIGHTS):
        total += values[position].astype(np.int32) * weight
    check = (31 - total % 31) % 31
    valid = (top < len(CHARSET)) & _FIRST[columns[0]] & (check == values[17])
    return top != _NOT_PLAIN, valid


def valid_matrix(matrix: np.ndarray) -> np.ndarray:
    """`is_valid` of each row of an (n, 18) matrix of bytes."""
    return check_matrix(matrix)[1]


def code_matrix(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(rows, matrix): the positions of the non-null 18-byte strings and their bytes, (n, 18)."""
    if array.type != pa.string():
        array = array.cast(pa.string())
    n = len(array)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset : array.offset + n + 1]
    data_buffer = array.buffers()[2]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer else np.zeros(0, np.uint8)
    eighteen = np.diff(offsets) == 18
    if array.null_count:
        eighteen &= np.asarray(array.is_valid())
    rows = np.flatnonzero(eighteen)
    if len(rows) == n and n:  # the usual case: a contiguous block of 18-byte codes
        matrix = data[offsets[0] : offsets[0] + 18 * n].reshape(n, 18)
    else:
        matrix = data[offsets[rows][:, None] + np.arange(18)]
    return rows, matrix


def valid_array(codes: pa.Array | pa.ChunkedArray) -> pa.Array:
    """`is_valid` over a whole Arrow column at once."""
    array = codes.combine_chunks() if isinstance(codes, pa.ChunkedArray) else codes
    rows, matrix = code_matrix(array)
    result = np.zeros(len(array), dtype=bool)
    if len(rows):
        result[rows] = valid_matrix(matrix)
    return pa.array(result)
