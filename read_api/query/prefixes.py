"""Word-prefix matching of facet values (pure): folding, Lucene include patterns, marking.

Facet-value search and autocomplete filter terms aggregations with an `include`
pattern (Lucene regular expression syntax, whole-value match) that accepts a
value when one of its words starts with what was typed.
"""

from __future__ import annotations

import html
import unicodedata

WORD_SEPARATORS = " -/(),.&+_:;>"
_UMLAUTS = {"a": "ä", "o": "ö", "u": "ü"}


def fold(text: str) -> str:
    """Lowercase without accents, like the index's `folded` normalizer (`Weiß` -> `weiss`)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _escape(char: str) -> str:
    return char if char.isalnum() else "\\" + char


def regex_escape(text: str) -> str:
    """Text as a literal in a Lucene regular expression."""
    return "".join(_escape(c) for c in text)


def _any_case(char: str) -> str:
    variants = {char, char.upper()}
    if char in _UMLAUTS:
        variants |= {_UMLAUTS[char], _UMLAUTS[char].upper()}
    if len(variants) == 1:
        return _escape(char)
    return "[" + "".join(_escape(v) for v in sorted(variants)) + "]"


def _word_start() -> str:
    return "(.*[" + "".join("\\" + c for c in WORD_SEPARATORS) + "])?"


def folded_prefix_pattern(typed: str) -> str:
    """Pattern for values stored folded: some word starts with the folded text."""
    return _word_start() + regex_escape(fold(typed)) + ".*"


def raw_prefix_pattern(typed: str) -> str:
    """Pattern for values stored as written: some word starts with the text, in any case."""
    return _word_start() + "".join(_any_case(c) for c in fold(typed)) + ".*"


def word_prefix_at(value: str, typed: str) -> int | None:
    """Where in `value` a word starts with `typed` (folded), or None."""
    folded, wanted = fold(value), fold(typed)
    if not wanted or len(folded) != len(value):
        # folding changed the length (ß, ligatures): fall back to whole-value start
        return 0 if folded.startswith(wanted) else None
    for i in range(len(folded)):
        if (i == 0 or folded[i - 1] in WORD_SEPARATORS) and folded.startswith(wanted, i):
            return i
    return None


def mark_prefix(value: str, typed: str, pre_tag: str, post_tag: str) -> str:
    """The value, HTML-escaped, with the typed prefix wrapped in the tags."""
    at = word_prefix_at(value, typed)
    if at is None or not typed:
        return html.escape(value)
    end = at + len(fold(typed))
    marked = html.escape(value[at:end])
    return html.escape(value[:at]) + pre_tag + marked + post_tag + html.escape(value[end:])
