"""Unified social credit codes (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

import re

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(r"[0-9ANY][0-9A-HJ-NPQRTUWXY]{17}")


def check_character(first17: str) -> str:
    """The 18th character that makes `first17` a valid code."""
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """Shape and check digit; the same rule as the SQL macro uscc_valid()."""
    return bool(_SHAPE.fullmatch(code)) and check_character(code[:17]) == code[17]
