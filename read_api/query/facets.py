"""Facet aggregations (pure): disjunctive terms, numeric stats and ranges, category levels.

All facets come from the one search request. Filters on facetted fields go to
`post_filter` (they narrow the hits, not the aggregations); each facet then sits
in a `filter` aggregation holding every such filter except its own field's.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from catalog.products.model import MAX_CATEGORY_DEPTH
from read_api.query.fields import CATEGORY_SEPARATOR, FieldSpec, category_level, facet_spec
from read_api.query.model import FacetRequest
from read_api.query.prefixes import regex_escape

Clause = dict[str, Any]
PRICE_RANGES = (10.0, 25.0, 50.0, 100.0, 250.0)
DEFAULT_RANGES: dict[str, tuple[float, ...]] = {
    "price": PRICE_RANGES,
    "sale_price": PRICE_RANGES,
    "effective_price": PRICE_RANGES,
    "rating": (2.0, 3.0, 4.0, 4.5),
}


def facet_key(index: int) -> str:
    """The aggregation name of the index-th requested facet."""
    return f"facet_{index}"


def range_buckets(boundaries: Sequence[float]) -> list[dict[str, float]]:
    """Half-open buckets [from, to) around the boundaries, open at both ends."""
    buckets: list[dict[str, float]] = [{"to": boundaries[0]}]
    buckets += [{"from": lo, "to": hi} for lo, hi in itertools.pairwise(boundaries)]
    buckets.append({"from": boundaries[-1]})
    return buckets


def _ranges(request: FacetRequest) -> tuple[float, ...] | None:
    return tuple(request.ranges) if request.ranges else DEFAULT_RANGES.get(request.field)


def _numeric(request: FacetRequest, path: str, values: bool = False) -> dict[str, Clause]:
    aggs: dict[str, Clause] = {"stats": {"stats": {"field": path}}}
    if values:  # Algolia counts each distinct number, as for any facet
        aggs["values"] = {"terms": {"field": path, "size": request.size}}
        return aggs
    boundaries = _ranges(request)
    if boundaries:
        aggs["ranges"] = {"range": {"field": path, "ranges": range_buckets(boundaries)}}
    return aggs


def _nested_values(path: str, name: str, values: Clause, extra: Mapping[str, Clause]) -> Clause:
    inner = {"values": values, **extra}
    named = {"filter": {"term": {f"{path}.name": name}}, "aggs": inner}
    return {"nested": {"path": path}, "aggs": {"named": named}}


def _attribute(request: FacetRequest, name: str) -> dict[str, Clause]:
    products: dict[str, Clause] = {"products": {"reverse_nested": {}}}
    # values are folded for matching; the most common spelling is shown
    keyword_values = {
        "terms": {"field": "attrs_kw.value", "size": request.size},
        "aggs": {**products, "raw": {"terms": {"field": "attrs_kw.value_raw", "size": 1}}},
    }
    number_values = {"terms": {"field": "attrs_num.value", "size": request.size}, "aggs": products}
    number_extra = _numeric(request, "attrs_num.value")
    return {
        "kw": _nested_values("attrs_kw", name, keyword_values, {}),
        "num": _nested_values("attrs_num", name, number_values, number_extra),
    }


def category_levels_shown(selected: str | None) -> list[tuple[int, str | None]]:
    """The levels a category facet shows: the top level, then the children of each selected name."""
    levels: list[tuple[int, str | None]] = [(0, None)]
    if selected is None:
        return levels
    names = selected.split(CATEGORY_SEPARATOR)
    for depth in range(1, min(len(names), MAX_CATEGORY_DEPTH - 1) + 1):
        levels.append((depth, CATEGORY_SEPARATOR.join(names[:depth])))
    return levels


def _hierarchical(request: FacetRequest, selected: str | None) -> dict[str, Clause]:
    aggs: dict[str, Clause] = {}
    for depth, parent in category_levels_shown(selected):
        terms: Clause = {"field": f"categories.lvl{depth}", "size": request.size}
        if parent is not None:
            terms["include"] = regex_escape(parent + CATEGORY_SEPARATOR) + ".*"
        aggs[f"lvl{depth}"] = {"terms": terms}
    return aggs


def facet_inner(
    request: FacetRequest,
    spec: FieldSpec,
    selected_category: str | None,
    numeric_values: bool = False,
) -> dict[str, Clause]:
    """The aggregations that count one facet (before the disjunctive filter around them)."""
    if spec.facet == "numeric":
        return _numeric(request, spec.path, numeric_values)
    if spec.facet == "attribute":
        return _attribute(request, spec.path)
    if spec.facet == "hierarchical":
        return _hierarchical(request, selected_category)
    return {"values": {"terms": {"field": spec.path, "size": request.size}}}


def deepest_category(paths: Sequence[str]) -> str | None:
    """The most specific of the selected category paths (the one the menu unfolds)."""
    return max(paths, key=category_level, default=None)


def facet_aggs(
    facets: Sequence[FacetRequest],
    post_groups: Mapping[str, Clause],
    selected_category: str | None,
    *,
    numeric_values: bool = False,
) -> dict[str, Clause]:
    """Every requested facet, each counted under all post filters but its own group's.

    `numeric_values`: numeric facets count their distinct values (as Algolia
    does) instead of range buckets; their stats stay.
    """
    aggs: dict[str, Clause] = {}
    for index, request in enumerate(facets):
        spec = facet_spec(request.field)
        others = [clause for group, clause in post_groups.items() if group != spec.group]
        wrapper = {"bool": {"filter": others}} if others else {"match_all": {}}
        inner = facet_inner(request, spec, selected_category, numeric_values)
        aggs[facet_key(index)] = {"filter": wrapper, "aggs": inner}
    return aggs
