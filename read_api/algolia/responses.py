"""Algolia answers from Elasticsearch responses (pure): hits, facets, facet stats, facet hits.

A result is built in two steps: `hits_result` is what any equal query answers
(it may be cached), `finished` adds what belongs to one response only: the
index name asked for, the echoed parameters, the time taken and a queryID.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from read_api.algolia.highlight_result import DEFAULT_HIGHLIGHTED, highlight_result
from read_api.algolia.params import AlgoliaParams
from read_api.algolia.records import record_of, retrieved
from read_api.query.facet_results import facet_results
from read_api.query.facet_values import facet_values_response
from read_api.query.grouping import GROUP_COUNT_PRECISION
from read_api.query.model import SearchQuery
from read_api.query.results import hit_of, pages_reachable
from read_api.schemas import Facet

Result = dict[str, Any]
EXHAUSTIVE = {"nbHits": True, "facetsCount": True, "typo": True}


def _counts(facet: Facet, alpha: bool) -> dict[str, int]:
    values = sorted(facet.values, key=lambda v: v.value) if alpha else facet.values
    return {v.value: v.count for v in values}


def _stats(facet: Facet) -> dict[str, float] | None:
    stats = facet.stats
    if stats is None or not stats.count or stats.min is None or stats.max is None:
        return None
    return {"min": stats.min, "max": stats.max, "avg": stats.avg or 0.0, "sum": stats.sum}


def facets_of(
    query: SearchQuery, aggregations: Mapping[str, Any] | None, alpha: bool
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, float]]]:
    """`facets` (value counts) and `facets_stats` (numeric facets) of a response."""
    counts: dict[str, dict[str, int]] = {}
    stats: dict[str, dict[str, float]] = {}
    for name, facet in facet_results(query, aggregations, None).items():
        counts[name] = _counts(facet, alpha)
        found = _stats(facet)
        if found is not None:
            stats[name] = found
    return counts, stats


def _hit(raw: Mapping[str, Any], query: SearchQuery, params: AlgoliaParams) -> dict[str, Any]:
    hit = hit_of(raw)
    record = record_of(hit)
    shown = retrieved(record, params.attributes_to_retrieve)
    if query.highlight.enabled:
        tags = query.highlight
        asked = params.attributes_to_highlight
        if asked is None:  # by default, the highlightable attributes that are retrieved
            asked = [name for name in DEFAULT_HIGHLIGHTED if name in shown]
        shown["_highlightResult"] = highlight_result(
            record, hit.highlights, query.text, tags.pre_tag, tags.post_tag, asked
        )
    return shown


def hits_result(query: SearchQuery, params: AlgoliaParams, response: Mapping[str, Any]) -> Result:
    """The part of a search's answer that equal queries share."""
    total = int(response["hits"]["total"]["value"])
    # a count of groups is exact below the cardinality's precision only
    exact = not query.grouping.size or total < GROUP_COUNT_PRECISION
    paging = query.paging
    size = paging.size
    facets, facets_stats = facets_of(
        query, response.get("aggregations"), params.sort_facet_values_by == "alpha"
    )
    result: Result = {
        "hits": [_hit(raw, query, params) for raw in response["hits"]["hits"]],
        "nbHits": total,
        "page": paging.offset // size if size else 0,
        "nbPages": pages_reachable(total, size),
        "hitsPerPage": size,
        "facets": facets,
        "facets_stats": facets_stats,
        "exhaustiveFacetsCount": True,
        "exhaustiveNbHits": exact,
        "exhaustiveTypo": True,
        "exhaustive": EXHAUSTIVE | {"nbHits": exact},
        "query": query.text,
    }
    if params.offset is not None:
        result |= {"offset": paging.offset, "length": size}
    return result | rules_result(query, params)


def rules_result(query: SearchQuery, params: AlgoliaParams) -> Result:
    """What the rules that fired add: `userData`, `renderingContent`, `appliedRules`."""
    merch = query.merchandising
    added: Result = {}
    if merch.user_data:
        added["userData"] = list(merch.user_data)
    if merch.facet_ordering is not None:
        added["renderingContent"] = {"facetOrdering": merch.facet_ordering}
    if params.get_ranking_info and merch.applied:
        added["appliedRules"] = [{"objectID": rule_id} for rule_id in merch.applied]
    return added


def suggestions_result(
    params: AlgoliaParams, hits: list[dict[str, Any]], total: int, offset: int, size: int
) -> Result:
    """A search result of the query suggestions index: its hits and paging, no facets."""
    result: Result = {
        "hits": hits,
        "nbHits": total,
        "page": offset // size if size else 0,
        "nbPages": pages_reachable(total, size),
        "hitsPerPage": size,
        "facets": {},
        "exhaustiveNbHits": True,
        "exhaustiveTypo": True,
        "exhaustive": EXHAUSTIVE,
        "query": params.query,
    }
    if params.offset is not None:
        result |= {"offset": offset, "length": size}
    return result


def facet_hits_result(
    query: SearchQuery, facet: str, params: AlgoliaParams, response: Mapping[str, Any]
) -> Result:
    """The answer to a search for facet values: the matching values, most frequent first."""
    typed = params.facet_query.strip()
    found = facet_values_response(
        query, facet, typed, params.max_facet_hits, response, query.highlight
    )
    hits = [
        # unescaped like every Algolia answer: its clients escape values themselves
        {"value": v.value, "highlighted": html.unescape(v.highlighted), "count": v.count}
        for v in found.values
    ]
    return {"facetHits": hits, "exhaustiveFacetsCount": True}


def finished(
    result: Result,
    *,
    index: str | None,
    params: str | None,
    took_ms: int,
    query_id: str | None,
) -> Result:
    """A shared result made this response's: index, echoed params, time taken, queryID."""
    answer = {**result, "processingTimeMS": took_ms}
    if index is not None:
        answer["index"] = index
    if params is not None:
        answer["params"] = params
    if query_id is not None:
        answer["queryID"] = query_id
    return answer
