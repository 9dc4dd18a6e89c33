"""Searching a facet's values by typing (pure), counted under the current search.

The counts are disjunctive like the facet itself: the facet's own filters are
left out, so each count is what choosing that value would give.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalog.products.model import MAX_CATEGORY_DEPTH
from read_api.query.fields import CATEGORY_SEPARATOR, FieldSpec, UnknownField, facet_spec
from read_api.query.filters import ACTIVE_ONLY, group_clauses, scope_clause, selected_values
from read_api.query.model import Highlight, SearchQuery
from read_api.query.prefixes import (
    fold,
    folded_prefix_pattern,
    mark_prefix,
    raw_prefix_pattern,
    word_prefix_at,
)
from read_api.query.text import STRICT_MIN_HITS, Stage, text_query
from read_api.schemas import FacetValueMatch, FacetValuesResponse

Clause = dict[str, Any]


def searchable_facet(name: str) -> FieldSpec:
    """The spec of a facet whose values can be searched (terms, attribute, category facets)."""
    spec = facet_spec(name)
    if spec.facet == "numeric":
        raise UnknownField(f"{name} is numeric: its values cannot be searched by text")
    return spec


def _terms(field: str, typed: str, size: int, folded: bool) -> Clause:
    terms: Clause = {"field": field, "size": size}
    if typed:
        terms["include"] = folded_prefix_pattern(typed) if folded else raw_prefix_pattern(typed)
    return terms


def _aggs(spec: FieldSpec, typed: str, size: int) -> dict[str, Clause]:
    if spec.facet == "attribute":
        values = {
            "terms": _terms("attrs_kw.value", typed, size, folded=True),
            "aggs": {
                "products": {"reverse_nested": {}},
                "raw": {"terms": {"field": "attrs_kw.value_raw", "size": 1}},
            },
        }
        named = {"filter": {"term": {"attrs_kw.name": spec.path}}, "aggs": {"values": values}}
        return {"attribute": {"nested": {"path": "attrs_kw"}, "aggs": {"named": named}}}
    if spec.facet == "hierarchical":
        return {
            f"lvl{i}": {"terms": _terms(f"categories.lvl{i}", typed, size, folded=False)}
            for i in range(MAX_CATEGORY_DEPTH)
        }
    if spec.kind == "boolean":  # two values: filtered after counting
        return {"values": {"terms": {"field": spec.path, "size": 2}}}
    return {"values": {"terms": _terms(spec.path, typed, size, folded=False)}}


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
    spec = searchable_facet(facet)
    groups = group_clauses(query.filters)
    others = [c for group, c in groups.items() if group != spec.group or not disjunctive]
    filters = [ACTIVE_ONLY, *scope_clause(query.category), *others]
    return {
        "query": text_query(query.text, filters, stage=stage, typo_tolerance=query.typo_tolerance),
        "size": 0,
        # counted as far as the stage rule needs: too few strict hits run the tolerant stage
        "track_total_hits": STRICT_MIN_HITS,
        "aggs": _aggs(spec, typed, size),
    }


def _counted(spec: FieldSpec, aggs: Mapping[str, Any]) -> list[tuple[str, int]]:
    if spec.facet == "attribute":
        found = []
        for b in aggs["attribute"]["named"]["values"]["buckets"]:
            raw = b["raw"]["buckets"]
            found.append((str(raw[0]["key"] if raw else b["key"]), int(b["products"]["doc_count"])))
        return found
    if spec.facet == "hierarchical":
        return [
            (str(b["key"]), int(b["doc_count"]))
            for i in range(MAX_CATEGORY_DEPTH)
            for b in aggs[f"lvl{i}"]["buckets"]
        ]
    return [
        (str(b.get("key_as_string", b["key"])), int(b["doc_count"]))
        for b in aggs["values"]["buckets"]
    ]


def facet_values_response(
    query: SearchQuery,
    facet: str,
    typed: str,
    size: int,
    response: Mapping[str, Any],
    highlight: Highlight,
) -> FacetValuesResponse:
    """The matching values, most frequent first, with the typed part marked."""
    spec = searchable_facet(facet)
    selected = {fold(v) for v in selected_values(query.filters, spec.group)}
    found = [
        (v, c)
        for v, c in _counted(spec, response.get("aggregations", {}))
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
