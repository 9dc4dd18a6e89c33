"""Query suggestions from the search events (pure): which queries, and their records.

A suggestion is a query shoppers searched often (`min_count` times within
the period), with enough letters, none of the excluded words, that still
finds products. Keystroke prefixes are not suggestions: a storefront logs
"hül" on the way to "hülle", so a query is left out when a longer one that
continues its last word was searched at least half as often. The record
has Algolia's Query Suggestions shape (read by InstantSearch's autocomplete
and its query suggestions plugin): `query`, `popularity`, `nb_words` and
`products.facets.exact_matches` (the top values of a few facets for it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from analytics.search_queries import events_query
from catalog.index_fields import (
    ATTRS_TEXT,
    BRAND,
    BRAND_TEXT,
    CATEGORY_TEXT,
    DESCRIPTION,
    DESCRIPTION_EN,
    STATUS,
    TITLE,
    TITLE_EN,
    category_level_field,
)

Clause = dict[str, Any]
# top values kept per suggestion: the facet as clients name it, and its index field
SUGGESTION_FACETS = {"brand": BRAND, "categories.lvl0": category_level_field(0)}
# a suggestion must find products with all its words in their text (as the search's strict
# stage requires them, without its prefixes, synonyms and identifiers)
COUNTED_FIELDS = (
    TITLE,
    TITLE_EN,
    BRAND_TEXT,
    CATEGORY_TEXT,
    ATTRS_TEXT,
    DESCRIPTION,
    DESCRIPTION_EN,
)
FACET_VALUES = 3
PREFIX_SHARE = 0.5  # a longer query this often as popular makes a shorter one a keystroke


@dataclass(frozen=True, slots=True)
class Candidate:
    """A popular query and how often it was searched."""

    query: str
    count: int


def popular_queries_body(since: datetime, limit: int) -> Clause:
    """The most searched queries with words since `since`, and how often."""
    terms = {"field": "query", "size": limit, "shard_size": max(limit * 3, 100)}
    return {
        "size": 0,
        "track_total_hits": False,
        "query": events_query(since, queries_only=True),
        "aggs": {"queries": {"terms": terms}},
    }


def candidates_of(response: Mapping[str, Any]) -> list[Candidate]:
    """The queries of `popular_queries_body`'s answer, most searched first."""
    buckets = response.get("aggregations", {}).get("queries", {}).get("buckets", [])
    return [Candidate(str(b["key"]), int(b["doc_count"])) for b in buckets]


def excluded_words(text: str) -> frozenset[str]:
    """The excluded words of the setting (comma-separated), lower case."""
    return frozenset(word.strip().lower() for word in text.split(",") if word.strip())


def _letters(query: str) -> int:
    return sum(1 for c in query if c.isalnum())


def chosen(
    candidates: Sequence[Candidate],
    *,
    min_count: int,
    min_letters: int,
    excluded: frozenset[str],
    limit: int,
) -> list[Candidate]:
    """The candidates worth suggesting, most searched first (at most `limit`)."""
    kept = [
        c
        for c in candidates
        if c.count >= min_count
        and _letters(c.query) >= min_letters
        and not excluded & set(c.query.split())
    ]
    counts = {c.query: c.count for c in kept}
    keystrokes = {
        shorter.query
        for shorter in kept
        for longer, count in counts.items()
        if len(longer) > len(shorter.query)
        and longer.startswith(shorter.query)
        and not longer[len(shorter.query)].isspace()  # continues the last word
        and count >= PREFIX_SHARE * shorter.count
    }
    found = [c for c in kept if c.query not in keystrokes]
    return sorted(found, key=lambda c: (-c.count, c.query))[:limit]


def counting_body(text: str) -> Clause:
    """The request counting the active products a query finds, and its top facet values."""
    words = {
        "multi_match": {
            "query": text,
            "type": "cross_fields",
            "operator": "and",
            "fields": list(COUNTED_FIELDS),
        }
    }
    return {
        "size": 0,
        "track_total_hits": True,
        "query": {"bool": {"filter": [{"term": {STATUS: "active"}}], "must": [words]}},
        "aggs": {
            name: {"terms": {"field": field, "size": FACET_VALUES}}
            for name, field in SUGGESTION_FACETS.items()
        },
    }


def counted(response: Mapping[str, Any]) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The products `counting_body` found, and its top values per facet."""
    total = response.get("hits", {}).get("total", {})
    hits = int(total.get("value", 0)) if isinstance(total, Mapping) else int(total or 0)
    aggs = response.get("aggregations", {})
    facets = {
        name: [(str(b["key"]), int(b["doc_count"])) for b in aggs.get(name, {}).get("buckets", [])]
        for name in SUGGESTION_FACETS
    }
    return hits, facets


def suggestion_record(
    candidate: Candidate, hits: int, facets: Mapping[str, Iterable[tuple[str, int]]]
) -> dict[str, Any]:
    """The suggestion's record, as Algolia's Query Suggestions indices hold them."""
    exact = {
        name: [{"value": value, "count": count} for value, count in values]
        for name, values in facets.items()
    }
    return {
        "objectID": candidate.query,
        "query": candidate.query,
        "popularity": candidate.count,
        "nb_words": len(candidate.query.split()),
        "products": {"exact_nb_hits": hits, "facets": {"exact_matches": exact}},
    }
