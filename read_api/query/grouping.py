"""Variant grouping in the search request and its response (pure): one hit per `group_id`.

Products sharing a `group_id` (the colours of one case) are one group; a
product without one is a group of its own (the index holds its id there).

- Hits: Elasticsearch's field collapsing on `group_id`, so each group shows
  once, at its best variant's place. How many of a group's variants match
  (`variants` of a hit: "3 colours") comes from one follow-up request for the
  shown groups (`variant_count_body`). With `size` > 1 the collapse's inner
  hits are the hits themselves: up to `size` variants per group, best first,
  one after another (Algolia's `distinct=N`), and count the group's variants.
- Total: the number of groups that match, from a `cardinality` aggregation
  under the same post filters as the hits. It is exact up to
  `GROUP_COUNT_PRECISION` groups and approximate (within about 1%) above.
- Facets, when asked (`Grouping.facets`, Algolia's `facetingAfterDistinct`):
  every bucket a facet kind counts gets a `cardinality` of `group_id` beside
  it, and the response's `doc_count` of that bucket is replaced by it, so
  each kind reads group counts where it read product counts. Buckets of a
  nested aggregation (attributes) count their groups in the `reverse_nested`
  aggregation the kind already puts under them. Terms buckets are re-sorted
  by the new counts (the values shown are still the commonest by products).

Grouping pages by number only: Elasticsearch 7 cannot collapse with `search_after`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalog.index_fields import GROUP_ID
from read_api.query.model import SearchQuery

Clause = dict[str, Any]
GROUPS_AGG = "_groups"  # the total of groups, beside the facets
VARIANTS = "variants"  # the inner hits of a collapsed group
_GROUP_COUNT = "_group_count"  # the per-bucket group count under a facet bucket
_VARIANT_COUNTS = "_variant_counts"  # the follow-up's count of variants per shown group
# Elasticsearch's default: counts below it are (near) exact, above within about 1%; higher costs
# memory and time per counted bucket (40,000 made grouped facets twice as slow)
GROUP_COUNT_PRECISION = 3_000
_COUNTED = ("terms", "range")  # bucket aggregations whose doc_count a facet kind reads


def _cardinality() -> Clause:
    return {"cardinality": {"field": GROUP_ID, "precision_threshold": GROUP_COUNT_PRECISION}}


def collapse_clause(
    query: SearchQuery, sort: list[Any], source: list[str], highlight: Clause | None
) -> Clause:
    """The `collapse` of a grouped search: one hit per group, or its best `size` variants."""
    size = query.grouping.size
    collapse: Clause = {"field": GROUP_ID}
    if size > 1:  # the variants are the hits: fetched like them, in the same order
        inner: Clause = {"name": VARIANTS, "size": size, "sort": sort, "_source": source}
        if highlight is not None:
            inner["highlight"] = highlight
        collapse["inner_hits"] = inner
    return collapse


def variant_count_body(
    query: SearchQuery, sent: Mapping[str, Any], response: Mapping[str, Any]
) -> Clause | None:
    """The follow-up request counting the matching variants of the groups one hit shows.

    With one hit per group the count comes from one cheap request for the shown
    groups only (the request's query and post filters, and their ids): inner
    hits would run the query once per shown group (2.3x a plain search's time
    in bench.grouping_cost, against 1.2x this way).
    """
    if query.grouping.size != 1:
        return None
    shown = [hit["_source"].get(GROUP_ID) for hit in response["hits"]["hits"]]
    groups = list(dict.fromkeys(group for group in shown if group is not None))
    if not groups:
        return None
    filters: list[Clause] = [{"terms": {GROUP_ID: groups}}]
    if "post_filter" in sent:
        filters.append(sent["post_filter"])
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"bool": {"must": [sent["query"]], "filter": filters}},
        "aggs": {_VARIANT_COUNTS: {"terms": {"field": GROUP_ID, "size": len(groups)}}},
    }


def with_variant_counts(response: Mapping[str, Any], counted: Mapping[str, Any]) -> dict[str, Any]:
    """The response with each hit's variant count from the follow-up's answer."""
    buckets = counted.get("aggregations", {}).get(_VARIANT_COUNTS, {}).get("buckets", [])
    counts = {bucket["key"]: int(bucket["doc_count"]) for bucket in buckets}
    hits = [
        {**hit, VARIANTS: counts.get(hit["_source"].get(GROUP_ID), 1)}
        for hit in response["hits"]["hits"]
    ]
    return {**response, "hits": {**response["hits"], "hits": hits}}


def group_total_agg(post_filters: list[Clause]) -> Clause:
    """The aggregation counting the groups of the hits (under the hits' post filters)."""
    scope = {"bool": {"filter": post_filters}} if post_filters else {"match_all": {}}
    return {"filter": scope, "aggs": {"count": _cardinality()}}


def count_groups(aggs: dict[str, Clause], nested: bool = False) -> dict[str, Clause]:
    """Facet aggregations that also count groups in each bucket (changed in place)."""
    for body in aggs.values():
        inner = body.get("aggs")
        if "reverse_nested" in body:  # back on the product: its groups can be counted
            body.setdefault("aggs", {})[_GROUP_COUNT] = _cardinality()
            if inner is not None:
                count_groups(inner, nested=False)
            continue
        inside_nested = nested or "nested" in body
        if not inside_nested and any(kind in body for kind in _COUNTED):
            body.setdefault("aggs", {})[_GROUP_COUNT] = _cardinality()
        if inner is not None:
            count_groups(inner, nested=inside_nested)
    return aggs


def _counted_in_groups(node: Any) -> None:
    """Each bucket's `doc_count` replaced by its group count, wherever one was counted."""
    if isinstance(node, list):
        buckets = bool(node) and all(isinstance(b, dict) and _GROUP_COUNT in b for b in node)
        for item in node:
            _counted_in_groups(item)
        if buckets and not any("from" in b or "to" in b for b in node):  # ranges keep order
            node.sort(key=lambda b: -int(b["doc_count"]))
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _counted_in_groups(value)
    counted = node.pop(_GROUP_COUNT, None)
    if isinstance(counted, dict) and "doc_count" in node:
        node["doc_count"] = int(counted["value"])


def _variant_hits(raw: Mapping[str, Any], size: int) -> list[dict[str, Any]]:
    """The hits a collapsed hit stands for: itself, or its best `size` variants (inner hits)."""
    if size <= 1:  # its variant count, if any, came from the follow-up request
        return [dict(raw)]
    variants = raw.get("inner_hits", {}).get(VARIANTS, {}).get("hits", {})
    total = variants.get("total", {})
    count = int(total["value"]) if isinstance(total, Mapping) else int(total or 1)
    shown = [dict(h) for h in variants.get("hits", [])] or [dict(raw)]
    for hit in shown:
        hit.pop("inner_hits", None)
        hit[VARIANTS] = count
    return shown


def grouped(query: SearchQuery, response: Mapping[str, Any]) -> dict[str, Any]:
    """The response of a grouped search as an ungrouped one: its hits, groups as its total."""
    if not query.grouping.size:
        return dict(response)
    aggs = dict(response.get("aggregations") or {})
    groups = aggs.pop(GROUPS_AGG, None)
    if query.grouping.facets:
        _counted_in_groups(aggs)
    hits = [
        hit for raw in response["hits"]["hits"] for hit in _variant_hits(raw, query.grouping.size)
    ]
    total = dict(response["hits"].get("total") or {})
    if groups is not None:
        total = {"value": int(groups["count"]["value"]), "relation": "eq"}
    answer = dict(response)
    answer["hits"] = {**response["hits"], "hits": hits, "total": total}
    answer["aggregations"] = aggs
    return answer
