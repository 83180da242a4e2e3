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


# The check, column-wise with table look-ups. (S + v17) % 31 == 0, where S = Σ weight × value over
# the first 17 characters and v17 the value of the check character, is the same as GB 32100's
# "check character = (31 − S mod 31) mod 31". Each place's table gives its term already
# weighted and reduced, plus a marker that counts what makes a code invalid or not plain:
# _UNUSED, a capital letter the code does not use at that place (I, O, S, V, Z anywhere; at the
# first place any but 0–9, A, N, Y): plain, never valid; _NOT_PLAIN, any other byte (one that
# needs normalising first). The weighted terms add up to at most 17 × 30 + 30 = 540, below
# _UNUSED; 18 × _UNUSED stays below _NOT_PLAIN and 18 × _NOT_PLAIN below 2³²: one uint32 sum per
# code holds all three. Two neighbouring bytes are looked up at once (tables of 65,536 entries,
# one per pair of places): nine look-ups and additions per code instead of eighteen.
_UNUSED = 1 << 20
_NOT_PLAIN = 1 << 25


def _place_tables() -> np.ndarray:
    single = np.full((18, 256), _NOT_PLAIN, dtype=np.uint32)
    single[:, ord("A") : ord("Z") + 1] = _UNUSED
    for place in range(18):
        weight = WEIGHTS[place] if place < 17 else 1
        for value, ch in enumerate(CHARSET):
            if place == 0 and ch not in "0123456789ANY":
                continue
            single[place, ord(ch)] = value * weight % 31
    pair = np.arange(1 << 16)
    # The pair's first byte is its low byte: the matrix is viewed as little-endian uint16.
    return np.stack([single[2 * k][pair & 0xFF] + single[2 * k + 1][pair >> 8] for k in range(9)])


_PAIRS = _place_tables()


def check_matrix(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(plain, valid) of each row of an (n, 18) matrix of bytes: plain, only digits and capital
    letters (no normalising needed); valid, `is_valid` (meaningful where plain).

    Column-wise on the transposed matrix: numpy works through nine long rows far faster than n
    short ones.
    """
    n = len(matrix)
    if not n:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    pairs = np.ascontiguousarray(matrix, dtype=np.uint8).view("<u2").reshape(n, 9).T.copy()
    total = _PAIRS[0].take(pairs[0])
    for k in range(1, 9):
        total += _PAIRS[k].take(pairs[k])
    return total < _NOT_PLAIN, (total < _UNUSED) & (total % 31 == 0)


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
