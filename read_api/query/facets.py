"""Facet aggregations of the one search request (pure), each counted disjunctively.

All facets come from the one search request. Filters on facetted fields go to
`post_filter` (they narrow the hits, not the aggregations); each facet then sits
in a `filter` aggregation holding every such filter except its own field's.
What is counted inside that filter is the facet kind's (read_api/query/facet_kinds/).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from read_api.query.facet_kinds import FacetContext
from read_api.query.fields import category_level, facet_kind, facet_spec
from read_api.query.model import FacetRequest

Clause = dict[str, Any]


def facet_key(index: int) -> str:
    """The aggregation name of the index-th requested facet."""
    return f"facet_{index}"


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
        facet = FacetContext(
            request, spec, category=selected_category, numeric_values=numeric_values
        )
        inner = facet_kind(spec).aggregation(facet)
        aggs[facet_key(index)] = {"filter": wrapper, "aggs": inner}
    return aggs
