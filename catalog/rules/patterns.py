"""How rule patterns and shoppers' queries are compared: normalised words (pure).

Both sides go through `words`: NFKC, case-folded, split on anything that is
not a letter or digit. Anchorings then compare word sequences, so "Hülle"
matches "hülle!" and "iphone 15" starts "iPhone 15 case", but "hül" does not
start "hülle" (patterns are whole words, as in Algolia's rule conditions).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Anchoring = Literal["is", "startsWith", "endsWith", "contains"]
ANCHORINGS: tuple[Anchoring, ...] = ("is", "startsWith", "endsWith", "contains")
_WORD = re.compile(r"\w+")


def words(text: str) -> tuple[str, ...]:
    """The normalised words of a query or pattern."""
    return tuple(_WORD.findall(unicodedata.normalize("NFKC", text).casefold().replace("_", " ")))


def normalised(text: str) -> str:
    """The normalised text: its words joined by single spaces."""
    return " ".join(words(text))
