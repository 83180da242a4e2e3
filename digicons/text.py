"""The form in which digicons compares words people type: headers, periods, units, percentages."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")  # after NFKC: every space, the ideographic one included


def compact(text: str) -> str:
    """NFKC (full-width forms as ASCII), without a byte-order mark or any space: ' ２０２４ 年 '
    → '2024年'."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text.replace("\ufeff", "")))
