"""`_highlightResult` of a record (pure): each highlighted attribute with its match level.

Elasticsearch marks the matched words of title, brand and description (whole
fields, unescaped, between the request's tags). Algolia clients also expect an
entry, unmarked, for every other highlighted attribute; for `attributes` the
entries are nested like the values (lists entry by entry).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from read_api.query.highlighting import HIGHLIGHTED
from read_api.query.prefixes import fold

MatchLevel = Literal["none", "partial", "full"]
Entry = dict[str, Any]
# what `_highlightResult` covers when the request does not say
DEFAULT_HIGHLIGHTED: tuple[str, ...] = (*HIGHLIGHTED, "attributes")


def query_words(text: str) -> list[str]:
    """The words of a query, as matched words are reported."""
    return [word for word in re.split(r"\s+", text.strip()) if word]


def _marked(value: str, pre_tag: str, post_tag: str) -> list[str]:
    return re.findall(re.escape(pre_tag) + "(.*?)" + re.escape(post_tag), value, re.DOTALL)


def _matches(word: str, marked: str) -> bool:
    a, b = fold(word), fold(marked)
    return bool(a and b) and (a in b or b.startswith(a) or a.startswith(b))


def matched_words(words: list[str], marked: list[str]) -> list[str]:
    """The query words the marks stand for, in query order.

    A mark containing a word (or a prefix of it) is that word's. Marks that
    contain no word (a typo, a synonym) stand for as many of the words left.
    """
    found = {w for w in words if any(_matches(w, m) for m in marked)}
    unclaimed = {fold(m) for m in marked if not any(_matches(w, m) for w in words)}
    left = [w for w in words if w not in found]
    found.update(left[: len(unclaimed)])
    return [w for w in words if w in found]


def entry(
    original: str, highlighted: str | None, words: list[str], pre_tag: str, post_tag: str
) -> Entry:
    """One attribute's entry: its value with the marks, how well and by which words it matched."""
    if not highlighted or not pre_tag:
        return {"value": original, "matchLevel": "none", "matchedWords": []}
    marked = _marked(highlighted, pre_tag, post_tag)
    if not marked:
        return {"value": original, "matchLevel": "none", "matchedWords": []}
    matched = matched_words(words, marked)
    level: MatchLevel = "full" if matched and len(matched) == len(words) else "partial"
    rest = re.sub(
        re.escape(pre_tag) + ".*?" + re.escape(post_tag), "", highlighted, flags=re.DOTALL
    )
    fully = level == "full" and not rest.strip()
    return {
        "value": highlighted,
        "matchLevel": level,
        "matchedWords": matched,
        "fullyHighlighted": fully,
    }


def _unmarked(value: Any) -> Any:
    if isinstance(value, str):
        return {"value": value, "matchLevel": "none", "matchedWords": []}
    if isinstance(value, list):
        return [_unmarked(item) for item in value if isinstance(item, str)]
    if isinstance(value, Mapping):
        nested = {k: _unmarked(v) for k, v in value.items()}
        return {k: v for k, v in nested.items() if v is not None}
    return None  # numbers and booleans are not highlighted


def highlight_result(
    record: Mapping[str, Any],
    marks: Mapping[str, str],
    text: str,
    pre_tag: str,
    post_tag: str,
    attributes: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The `_highlightResult` of a record, for the attributes asked for (None: the default set)."""
    names = DEFAULT_HIGHLIGHTED if attributes is None else tuple(attributes)
    if "*" in names:
        names = DEFAULT_HIGHLIGHTED
    words = query_words(text)
    result: dict[str, Any] = {}
    for name in names:
        head, _, rest = name.partition(".")
        value = record.get(head)
        if rest and isinstance(value, Mapping):
            inner = _unmarked(value.get(rest))
            if inner is not None and rest in value:
                result.setdefault(head, {})[rest] = inner
        elif isinstance(value, str):
            result[head] = entry(value, marks.get(head), words, pre_tag, post_tag)
        elif value is not None:
            unmarked = _unmarked(value)
            if unmarked is not None:
                result[head] = unmarked
    return result
