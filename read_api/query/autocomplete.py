"""Autocomplete (pure): products whose title words start as typed, completed queries, categories.

Completions are first the popular queries shoppers searched that match what
was typed (the query suggestions, read_api/suggestions, with the products
each finds), then the catalog's own vocabulary: brands and the values of a
few descriptive attributes (devices, colours, materials, ...) whose words start
with the last typed word, counted among the products that match so far.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from analytics.suggestions_index import PRODUCTS, QUERY
from catalog.index_fields import (
    ATTRS_KW,
    ATTRS_KW_NAME,
    ATTRS_KW_VALUE,
    BRAND,
    CATEGORY_PATHS,
    CATEGORY_SEPARATOR,
    TITLE_AUTOCOMPLETE,
)
from read_api.query.builder import PUBLIC_SOURCE
from read_api.query.facet_kinds.attribute_facet import products_and_spelling, spelled
from read_api.query.filters import ACTIVE_ONLY
from read_api.query.highlighting import highlight_clause
from read_api.query.model import Highlight
from read_api.query.prefixes import fold, folded_prefix_pattern, mark_prefix, raw_prefix_pattern
from read_api.query.results import hit_from_source
from read_api.query.text import FUZZINESS, FUZZY_PREFIX_LENGTH, ranked
from read_api.schemas import AutocompleteResponse, CategoryMatch, Completion

COMPLETION_ATTRIBUTES = (
    "compatible_devices",
    "color",
    "material",
    "connector",
    "form_factor",
    "mount",
)
FUZZY_BOOST = 0.5  # a typo match ranks below an exact prefix match

Clause = dict[str, Any]


def split_last_word(text: str) -> tuple[str, str]:
    """The words before the last one, and the last one (the one being typed)."""
    head, _, last = text.strip().rpartition(" ")
    return head.strip(), last


def _match(text: str) -> Clause:
    exact = {"match": {TITLE_AUTOCOMPLETE: {"query": text, "operator": "and"}}}
    fuzzy = {
        "match": {
            TITLE_AUTOCOMPLETE: {
                "query": text,
                "operator": "and",
                "fuzziness": FUZZINESS,
                "prefix_length": FUZZY_PREFIX_LENGTH,
                "boost": FUZZY_BOOST,
            }
        }
    }
    return {"bool": {"should": [exact, fuzzy], "minimum_should_match": 1}}


def _aggs(last: str, completions: int, categories: int) -> dict[str, Clause]:
    attribute_values = {
        "terms": {
            "field": ATTRS_KW_VALUE,
            "size": completions,
            "include": folded_prefix_pattern(last),
        },
        "aggs": products_and_spelling(),
    }
    named = {
        "filter": {"terms": {ATTRS_KW_NAME: list(COMPLETION_ATTRIBUTES)}},
        "aggs": {"values": attribute_values},
    }
    return {
        "brands": {
            "terms": {"field": BRAND, "size": completions, "include": raw_prefix_pattern(last)}
        },
        "attributes": {"nested": {"path": ATTRS_KW}, "aggs": {"named": named}},
        "named_categories": {
            "terms": {
                "field": CATEGORY_PATHS,
                "size": categories,
                "include": raw_prefix_pattern(last),
            }
        },
        "categories": {"terms": {"field": CATEGORY_PATHS, "size": categories}},
    }


def autocomplete_body(
    text: str, *, products: int, completions: int, categories: int, highlight: Highlight
) -> Clause:
    """One request for matching products, completion candidates and categories."""
    _, last = split_last_word(text)
    query = ranked({"bool": {"filter": [ACTIVE_ONLY], "must": [_match(text)]}})
    body: Clause = {
        "query": query,
        "size": products,
        "_source": list(PUBLIC_SOURCE),
        "track_total_hits": False,
        # a terms aggregation needs a size of at least 1; the answer is cut to what was asked
        "aggs": _aggs(last, max(completions, 1), max(categories, 1)),
    }
    if highlight.enabled:
        body["highlight"] = highlight_clause(highlight)
    return body


def _completions(
    text: str, aggs: Mapping[str, Any], size: int, highlight: Highlight
) -> list[Completion]:
    head, last = split_last_word(text)
    found: list[tuple[str, int]] = [
        (str(b["key"]), b["doc_count"]) for b in aggs["brands"]["buckets"]
    ]
    for bucket in aggs["attributes"]["named"]["values"]["buckets"]:
        found.append((spelled(bucket), bucket["products"]["doc_count"]))
    prefix = f"{head} " if head else ""
    seen: set[str] = {fold(text)}  # completing to exactly what was typed helps nobody
    result = []
    for value, count in sorted(found, key=lambda vc: -vc[1]):
        completed = prefix + value
        if fold(completed) in seen:
            continue
        seen.add(fold(completed))
        marked = mark_prefix(value, last, highlight.pre_tag, highlight.post_tag)
        result.append(
            Completion(text=completed, highlighted=html.escape(prefix) + marked, count=count)
        )
    return result[:size]


def popular_completions(
    text: str, suggestions: Mapping[str, Any], highlight: Highlight
) -> list[Completion]:
    """The query suggestions matching what was typed, most searched first."""
    _, last = split_last_word(text)
    found = []
    for raw in suggestions.get("hits", {}).get("hits", []):
        record = raw["_source"]
        query = str(record[QUERY])
        marked = mark_prefix(query, last, highlight.pre_tag, highlight.post_tag)
        hits = int(record[PRODUCTS]["exact_nb_hits"])
        found.append(Completion(text=query, highlighted=marked, count=hits))
    return found


def _merged(
    text: str, first: list[Completion], then: list[Completion], size: int
) -> list[Completion]:
    seen: set[str] = {fold(text)}  # completing to exactly what was typed helps nobody
    result = []
    for completion in [*first, *then]:
        if fold(completion.text) not in seen:
            seen.add(fold(completion.text))
            result.append(completion)
    return result[:size]


def _categories(aggs: Mapping[str, Any]) -> list[CategoryMatch]:
    buckets = aggs["named_categories"]["buckets"] or aggs["categories"]["buckets"]
    return [
        CategoryMatch(
            value=b["key"], path=str(b["key"]).split(CATEGORY_SEPARATOR), count=b["doc_count"]
        )
        for b in buckets
    ]


def autocomplete_response(
    text: str,
    response: Mapping[str, Any],
    *,
    completions: int,
    categories: int,
    highlight: Highlight,
    popular: list[Completion] | None = None,
) -> AutocompleteResponse:
    """Suggestions for `text` from the response to its autocomplete request (and the popular
    queries matching it, first among the completions)."""
    aggs = response.get("aggregations", {})
    vocabulary = _completions(text, aggs, completions, highlight) if aggs else []
    return AutocompleteResponse(
        query=text,
        completions=_merged(text, popular or [], vocabulary, completions),
        products=[
            hit_from_source(h["_source"], h.get("highlight")) for h in response["hits"]["hits"]
        ],
        categories=_categories(aggs)[:categories] if aggs else [],
    )
