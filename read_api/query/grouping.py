"""Variant grouping in the search request and its response (pure): one hit per `group_id`.

Products sharing a `group_id` (the colours of one case) are one group; a
product without one is a group of its own (the index holds its id there).

- Hits: Elasticsearch's field collapsing on `group_id`, so each group shows
  once, at its best variant's place. Its inner hits count the group's
  variants that match the search (`variants` of a hit: "3 colours"), and with
  `size` > 1 they are the hits themselves: up to `size` variants per group,
  best first, one after another (Algolia's `distinct=N`).
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
# Elasticsearch's default: counts below it are (near) exact, above within about 1%; higher costs
# memory and time per counted bucket (40,000 made grouped facets twice as slow)
GROUP_COUNT_PRECISION = 3_000
_COUNTED = ("terms", "range")  # bucket aggregations whose doc_count a facet kind reads


def _cardinality() -> Clause:
    return {"cardinality": {"field": GROUP_ID, "precision_threshold": GROUP_COUNT_PRECISION}}


def collapse_clause(
    query: SearchQuery, sort: list[Any], source: list[str], highlight: Clause | None
) -> Clause:
    """The `collapse` of a grouped search: one hit per group, its matching variants counted."""
    size = query.grouping.size
    inner: Clause = {"name": VARIANTS, "size": size if size > 1 else 0}
    if size > 1:  # the variants are the hits: fetched like them, in the same order
        inner |= {"sort": sort, "_source": source}
        if highlight is not None:
            inner["highlight"] = highlight
    return {"field": GROUP_ID, "inner_hits": inner}


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
    """The hits a collapsed hit stands for: itself with its variant count, or its variants."""
    variants = raw.get("inner_hits", {}).get(VARIANTS, {}).get("hits", {})
    total = variants.get("total", {})
    count = int(total["value"]) if isinstance(total, Mapping) else int(total or 1)
    shown = [dict(raw)] if size <= 1 else [dict(h) for h in variants.get("hits", [])] or [dict(raw)]
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
