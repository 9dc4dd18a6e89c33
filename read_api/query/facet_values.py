"""Searching a facet's values by typing (pure), counted under the current search.

The counts are disjunctive like the facet itself: the facet's own filters are
left out, so each count is what choosing that value would give. What is
counted, and how the counts read, is the facet kind's (read_api/query/facet_kinds/);
only a SearchableFacet's values can be searched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalog.index_fields import CATEGORY_SEPARATOR
from read_api.query.facet_kinds import SearchableFacet
from read_api.query.fields import FieldSpec, UnknownField, facet_kind, facet_spec
from read_api.query.filters import ACTIVE_ONLY, group_clauses, scope_clause, selected_values
from read_api.query.model import Highlight, SearchQuery
from read_api.query.pins import hide_clauses
from read_api.query.prefixes import fold, mark_prefix, word_prefix_at
from read_api.query.text import STRICT_MIN_HITS, Stage, text_query
from read_api.schemas import FacetValueMatch, FacetValuesResponse

Clause = dict[str, Any]


def _searchable(name: str) -> tuple[FieldSpec, SearchableFacet]:
    spec = facet_spec(name)
    kind = facet_kind(spec)
    if not isinstance(kind, SearchableFacet):
        raise UnknownField(f"{name} is {kind.name}: its values cannot be searched by text")
    return spec, kind


def searchable_facet(name: str) -> FieldSpec:
    """The spec of a facet whose values can be searched (terms, attribute, category facets)."""
    return _searchable(name)[0]


def facet_values_body(
    query: SearchQuery,
    facet: str,
    typed: str,
    size: int,
    *,
    disjunctive: bool = True,
    stage: Stage = "strict",
) -> Clause:
    """One request counting the facet's values that start with `typed`, under the query.

    `disjunctive=False` (the Algolia protocol) keeps the facet's own filters:
    Algolia clients leave them out themselves where they want to.
    """
    spec, kind = _searchable(facet)
    groups = group_clauses(query.filters)
    others = [c for group, c in groups.items() if group != spec.group or not disjunctive]
    hidden = hide_clauses(query.merchandising)  # what the rules hide is never counted
    filters = [ACTIVE_ONLY, *scope_clause(query.category), *hidden, *others]
    return {
        "query": text_query(
            query.text,
            filters,
            stage=stage,
            typo_tolerance=query.typo_tolerance,
            alternatives=query.alternatives,
        ),
        "size": 0,
        # counted as far as the stage rule needs: too few strict hits run the tolerant stage
        "track_total_hits": STRICT_MIN_HITS,
        "aggs": kind.value_search_aggs(spec, typed, size),
    }


def facet_values_response(
    query: SearchQuery,
    facet: str,
    typed: str,
    size: int,
    response: Mapping[str, Any],
    highlight: Highlight,
) -> FacetValuesResponse:
    """The matching values, most frequent first, with the typed part marked."""
    spec, kind = _searchable(facet)
    selected = {fold(v) for v in selected_values(query.filters, spec.group)}
    found = [
        (v, c)
        for v, c in kind.value_search_counts(spec, response.get("aggregations", {}))
        if not typed or word_prefix_at(v, typed) is not None
    ]
    found.sort(key=lambda vc: (-vc[1], vc[0]))
    values = [
        FacetValueMatch(
            value=value,
            label=value.rsplit(CATEGORY_SEPARATOR, 1)[-1],
            count=count,
            selected=fold(value) in selected,
            highlighted=mark_prefix(value, typed, highlight.pre_tag, highlight.post_tag),
        )
        for value, count in found[:size]
    ]
    return FacetValuesResponse(facet=facet, values=values)
