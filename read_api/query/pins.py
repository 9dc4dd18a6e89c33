"""Merchandising in the search request and its response (pure): hides, boosts and pins.

- Hidden ids are a `must_not` of the query itself, so neither hits nor any
  count ever see them.
- Boosts multiply the relevance of products matching their filter
  (`function_score`, weights below 1 bury): only relevance order changes.
- Pinned ids stay part of the query, so `nbHits` and every facet count
  include them exactly when they match the search. The hits leave them out
  (a `post_filter`, which aggregations ignore); a `filter` aggregation with
  `top_hits` returns those that match, and `place_pins` puts each at its
  position. The organic window is fetched wide enough for the pins that
  could sit before the page (`organic_window`), so any page is exact.
  Pins apply to pages by number, not to cursor pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalog.index_fields import ID
from read_api.query.filters import filter_clause
from read_api.query.merchandising import Merchandising

Clause = dict[str, Any]
PINNED_AGG = "_pinned"


def hide_clauses(merch: Merchandising) -> list[Clause]:
    """Filter clauses that keep hidden ids out of everything."""
    if not merch.hidden:
        return []
    return [{"bool": {"must_not": [{"terms": {ID: list(merch.hidden)}}]}}]


def boosted(query: Clause, merch: Merchandising) -> Clause:
    """The query with the rules' boosts and buries applied to its score."""
    if not merch.boosts:
        return query
    functions = [{"filter": filter_clause(b.filter), "weight": b.weight} for b in merch.boosts]
    return {
        "function_score": {
            "query": query,
            "functions": functions,
            "score_mode": "multiply",
            "boost_mode": "multiply",
        }
    }


def organic_window(merch: Merchandising, offset: int, size: int) -> tuple[int, int]:
    """`from` and `size` of the organic hits a page with pins needs."""
    before = sum(1 for pin in merch.pins if pin.position < offset)
    return offset - before, size + before


def pin_request(
    merch: Merchandising, post: list[Clause], highlight: Clause | None, source: list[str]
) -> Clause:
    """The aggregation returning the pinned products that match the search."""
    ids = merch.pinned_ids()
    top: Clause = {"size": len(ids), "_source": source}
    if highlight is not None:
        top["highlight"] = highlight
    return {
        "filter": {"bool": {"filter": [{"terms": {ID: ids}}, *post]}},
        "aggs": {"hits": {"top_hits": top}},
    }


def pin_exclusion(merch: Merchandising) -> Clause:
    """The post filter keeping pinned products out of the organic hits."""
    return {"bool": {"must_not": [{"terms": {ID: merch.pinned_ids()}}]}}


def place_pins(
    merch: Merchandising, offset: int, size: int, response: Mapping[str, Any]
) -> dict[str, Any]:
    """The response with the matching pinned products at their positions, counted in the total."""
    aggs = dict(response.get("aggregations") or {})
    found = aggs.pop(PINNED_AGG, None)
    if found is None:
        return dict(response)
    raw = found["hits"]["hits"]["hits"]
    present = {hit["_source"][ID]: hit for hit in raw}
    placed = sorted((p.position, p.id) for p in merch.pins if p.id in present)
    organic = list(response["hits"]["hits"])
    total = int(response["hits"]["total"]["value"])
    # each pin at its position, but never past the end of all hits
    everything = total + len(placed)
    at = {}
    for i, (position, pid) in enumerate(placed):
        at[min(position, everything - (len(placed) - i))] = pid
    fetched_before = sum(1 for p in merch.pins if p.position < offset)
    present_before = sum(1 for position in at if position < offset)
    organic = organic[max(fetched_before - present_before, 0) :]
    hits: list[dict[str, Any]] = []
    position, next_organic = offset, 0
    while len(hits) < size and position < everything:
        if position in at:
            hits.append(present[at[position]])
        elif next_organic < len(organic):
            hits.append(organic[next_organic])
            next_organic += 1
        else:
            break
        position += 1
    answer = dict(response)
    answer["hits"] = {**response["hits"], "hits": hits, "total": {"value": everything}}
    answer["aggregations"] = aggs
    return answer
