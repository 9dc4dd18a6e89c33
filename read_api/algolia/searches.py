"""Planned Algolia searches: what each request asks, its Elasticsearch body and its cache key.

A plan is pure: built from the request's fields, it knows the internal query,
the body that answers it and how to shape the response. `execution.py` runs
plans, several in one `_msearch`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from read_api.algolia.errors import AlgoliaError
from read_api.algolia.params import AlgoliaParams, request_params
from read_api.algolia.responses import Result, facet_hits_result, hits_result
from read_api.algolia.translate import search_query
from read_api.cache.keys import canonical_query
from read_api.query.builder import retry_stage, search_body, shaped
from read_api.query.facet_values import facet_values_body, searchable_facet
from read_api.query.fields import UnknownField
from read_api.query.grouping import variant_count_body, with_variant_counts
from read_api.query.model import SearchQuery
from read_api.query.text import Stage

MAX_REQUESTS = 50
IndexName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
# fields of a multi-query request that are not search parameters
RESERVED = frozenset({"indexName", "type", "facet"})
Body = dict[str, Any]


@dataclass(frozen=True, slots=True)
class HitsSearch:
    """A search for hits (and facet counts) on one index."""

    index: str
    params: AlgoliaParams
    echo: str
    query: SearchQuery

    def body(self) -> dict[str, Any]:
        """The `_search` body."""
        return search_body(self.query, "algolia")

    def retry_body(self, response: Mapping[str, Any]) -> dict[str, Any] | None:
        """The second stage's body, when the strict one found too few."""
        stage = retry_stage(self.query, response)
        return search_body(self.query, "algolia", stage=stage) if stage else None

    def follow_up(self, sent: Mapping[str, Any], response: Mapping[str, Any]) -> Body | None:
        """The request counting the shown groups' variants (grouped searches), or None."""
        return variant_count_body(self.query, sent, response)

    def with_follow_up(self, response: Mapping[str, Any], answer: Mapping[str, Any]) -> Body:
        """The response with the follow-up's answer merged in."""
        return with_variant_counts(response, answer)

    def shape(self, response: Mapping[str, Any]) -> Result:
        """The shareable result of the Elasticsearch response."""
        return hits_result(self.query, self.params, shaped(self.query, dict(response)))

    def key_material(self) -> dict[str, Any]:
        """What decides the shareable result."""
        shown = self.params.model_dump(
            include={
                "attributes_to_retrieve",
                "attributes_to_highlight",
                "sort_facet_values_by",
                "get_ranking_info",
            }
        )
        return {
            "hits": canonical_query(self.query),
            "shown": shown,
            "offset": self.params.offset is not None,
        }


@dataclass(frozen=True, slots=True)
class FacetSearch:
    """A search for the values of one facet, counted under the request's search."""

    index: str
    params: AlgoliaParams
    echo: str
    query: SearchQuery
    facet: str

    def body(self) -> dict[str, Any]:
        """The `_search` body; the facet's own filters count (Algolia semantics)."""
        return self._body("strict")

    def retry_body(self, response: Mapping[str, Any]) -> dict[str, Any] | None:
        """The second stage's body, when the strict one found too few."""
        stage = retry_stage(self.query, response)
        return self._body(stage) if stage else None

    def _body(self, stage: Stage) -> dict[str, Any]:
        typed = self.params.facet_query.strip()
        size = self.params.max_facet_hits
        return facet_values_body(
            self.query, self.facet, typed, size, disjunctive=False, stage=stage
        )

    def follow_up(self, sent: Mapping[str, Any], response: Mapping[str, Any]) -> Body | None:
        """None: facet values need no second request."""
        return None

    def with_follow_up(self, response: Mapping[str, Any], answer: Mapping[str, Any]) -> Body:
        """The response as it is (there is no follow-up)."""
        return dict(response)

    def shape(self, response: Mapping[str, Any]) -> Result:
        """The facet hits of the Elasticsearch response."""
        return facet_hits_result(self.query, self.facet, self.params, response)

    def key_material(self) -> dict[str, Any]:
        """What decides the facet hits."""
        typed = self.params.facet_query.strip()
        return {
            "facet": self.facet,
            "query": canonical_query(self.query),
            "typed": typed,
            "size": self.params.max_facet_hits,
            "tags": self.query.highlight.model_dump(),
        }


Planned = HitsSearch | FacetSearch


def plan_hits(index: str, fields: Mapping[str, Any]) -> HitsSearch:
    """A search for hits from a request's fields."""
    params, echo = request_params(fields, RESERVED)
    return HitsSearch(index, params, echo, search_query(params, index))


def plan_facet_values(index: str, facet: str, fields: Mapping[str, Any]) -> FacetSearch:
    """A search for facet values from a request's fields."""
    try:
        searchable_facet(facet)
    except UnknownField:
        raise AlgoliaError(
            400,
            f"Cannot search in `{facet}` attribute, it is not a searchable facet",
        ) from None
    params, echo = request_params(fields, RESERVED)
    return FacetSearch(index, params, echo, search_query(params, index), facet)


class MultiRequest(BaseModel):
    """One request of a multi-query: its index, its kind, and its parameters beside them."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    index_name: IndexName = Field(alias="indexName")
    type: str = "default"
    facet: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None


class MultiQuery(BaseModel):
    """The body of `POST /1/indexes/*/queries`."""

    model_config = ConfigDict(extra="ignore")

    requests: Annotated[list[MultiRequest], Field(max_length=MAX_REQUESTS)]
    strategy: str = "none"  # every request is run: it never changes the answers


def plan_request(request: MultiRequest, fields: Mapping[str, Any]) -> Planned:
    """The plan of one request of a multi-query (`type: facet` searches facet values)."""
    if request.type == "facet":
        if request.facet is None:
            raise AlgoliaError(400, "facet: required with type facet")
        return plan_facet_values(request.index_name, request.facet, fields)
    if request.type != "default":
        raise AlgoliaError(400, f"type: unknown request type {request.type!r}")
    return plan_hits(request.index_name, fields)
