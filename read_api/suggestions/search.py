"""Searching the query suggestions (pure): the request, and Algolia's hits from its answer.

What was typed matches a suggestion when each of its words starts one of the
suggestion's words, the last one as a prefix still being typed (folded:
"hul" finds "hülle"); matches rank by popularity. An empty text lists the
most popular. Highlighting marks the typed prefixes, as Algolia does for
`query`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from analytics.suggestions_index import POPULARITY, QUERY

Clause = dict[str, Any]
_SUBFIELDS = (QUERY, f"{QUERY}._2gram", f"{QUERY}._3gram")


def suggestions_body(text: str, offset: int, size: int) -> Clause:
    """The `_search` body of one page of suggestions for what was typed."""
    words = text.strip()
    matching: Clause = {"match_all": {}}
    if words:
        matching = {
            "multi_match": {
                "query": words,
                "type": "bool_prefix",
                "fields": list(_SUBFIELDS),
                "operator": "and",
            }
        }
    return {
        "query": {"bool": {"filter": [matching]}},
        "sort": [{POPULARITY: "desc"}, {"objectID": "asc"}],
        "from": offset,
        "size": size,
        "track_total_hits": True,
    }


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def highlight_query(query: str, typed: str, pre: str, post: str) -> dict[str, Any]:
    """Algolia's `_highlightResult.query`: the typed words' prefixes marked.

    Unescaped, like every Algolia answer here: its clients escape the text around the tags.
    """
    wanted = [_fold(word) for word in typed.split()]
    matched: list[str] = []
    parts = []
    for word in query.split(" "):
        folded = _fold(word)
        hit = next((w for w in wanted if w and folded.startswith(w)), None)
        if hit is None or len(folded) != len(word):  # a folding that changed the length
            parts.append(word)
            continue
        matched.append(hit)
        cut = len(hit)
        parts.append(f"{pre}{word[:cut]}{post}{word[cut:]}")
    level = "none" if not matched else "full" if len(set(matched)) >= len(wanted) else "partial"
    return {
        "value": " ".join(parts),
        "matchLevel": level,
        "matchedWords": sorted(set(matched)),
        "fullyHighlighted": level == "full" and all(_fold(w) in wanted for w in query.split()),
    }


def suggestion_hits(
    response: Mapping[str, Any], typed: str, pre: str, post: str
) -> list[dict[str, Any]]:
    """The records of a response, each with its `_highlightResult`."""
    hits = []
    for raw in response["hits"]["hits"]:
        record = dict(raw["_source"])
        record["_highlightResult"] = {"query": highlight_query(record[QUERY], typed, pre, post)}
        hits.append(record)
    return hits
