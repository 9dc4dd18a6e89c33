"""Facet counts from an Elasticsearch response to the public facet shape (pure).

Each facet's aggregation is read by its own kind (read_api/query/facet_kinds/),
under the name `facet_aggs` gave it; the values chosen in the facet's group are
marked selected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from read_api.query.facet_kinds import FacetContext
from read_api.query.facets import facet_key
from read_api.query.fields import facet_kind, facet_spec
from read_api.query.filters import selected_values
from read_api.query.model import SearchQuery
from read_api.schemas import Facet


def facet_results(
    query: SearchQuery, aggs: Mapping[str, Any] | None, category: str | None
) -> dict[str, Facet]:
    """Every requested facet by field name."""
    if not aggs:
        return {}
    results: dict[str, Facet] = {}
    for index, request in enumerate(query.facets):
        spec = facet_spec(request.field)
        selected = frozenset(selected_values(query.filters, spec.group))
        facet = FacetContext(request, spec, category=category, selected=selected)
        results[request.field] = facet_kind(spec).result(facet, aggs[facet_key(index)])
    return results
