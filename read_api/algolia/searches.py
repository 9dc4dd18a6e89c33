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

from analytics.suggestions_index import ALGOLIA_INDEX as SUGGESTIONS_INDEX
from read_api.algolia.errors import AlgoliaError
from read_api.algolia.params import AlgoliaParams, request_params
from read_api.algolia.responses import (
    Result,
    facet_hits_result,
    hits_result,
    suggestions_result,
)
from read_api.algolia.translate import paging, search_query
from read_api.cache.keys import canonical_query
from read_api.query.builder import retry_stage, search_body, shaped, total_hits
from read_api.query.facet_values import facet_values_body, searchable_facet
from read_api.query.fields import UnknownField
from read_api.query.grouping import variant_count_body, with_variant_counts
from read_api.query.model import SearchQuery
from read_api.query.text import Stage
from read_api.suggestions.search import suggestion_hits, suggestions_body
from read_api.views import ReadModel

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

    def target(self, model: ReadModel) -> str | None:
        """The index searched: the products alias (None)."""
        return None

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

    def target(self, model: ReadModel) -> str | None:
        """The index searched: the products alias (None)."""
        return None

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


@dataclass(frozen=True, slots=True)
class SuggestionSearch:
    """A search of the query suggestions (`products_query_suggestions`)."""

    index: str
    params: AlgoliaParams
    echo: str

    def _paging(self) -> tuple[int, int]:
        return paging(self.params).offset, paging(self.params).size

    def body(self) -> dict[str, Any]:
        """The `_search` body of one page of suggestions."""
        offset, size = self._paging()
        return suggestions_body(self.params.query, offset, size)

    def target(self, model: ReadModel) -> str | None:
        """The suggestions' alias."""
        return model.suggestions

    def retry_body(self, response: Mapping[str, Any]) -> dict[str, Any] | None:
        """None: suggestions are searched in one stage."""
        return None

    def follow_up(self, sent: Mapping[str, Any], response: Mapping[str, Any]) -> Body | None:
        """None: nothing to count afterwards."""
        return None

    def with_follow_up(self, response: Mapping[str, Any], answer: Mapping[str, Any]) -> Body:
        """The response as it is (there is no follow-up)."""
        return dict(response)

    def shape(self, response: Mapping[str, Any]) -> Result:
        """The suggestions as Algolia's hits, with the paging of any search result."""
        params = self.params
        offset, size = self._paging()
        hits = suggestion_hits(
            response, params.query, params.highlight_pre_tag, params.highlight_post_tag
        )
        return suggestions_result(params, hits, total_hits(response), offset, size)

    def key_material(self) -> dict[str, Any]:
        """What decides the suggestions answered."""
        return {
            "suggestions": self.params.query.strip(),
            "paging": self._paging(),
            "tags": [self.params.highlight_pre_tag, self.params.highlight_post_tag],
            "offset": self.params.offset is not None,
        }


Planned = HitsSearch | FacetSearch | SuggestionSearch


def plan_hits(index: str, fields: Mapping[str, Any]) -> HitsSearch:
    """A search for products from a request's fields."""
    params, echo = request_params(fields, RESERVED)
    return HitsSearch(index, params, echo, search_query(params, index))


def plan_search(index: str, fields: Mapping[str, Any]) -> HitsSearch | SuggestionSearch:
    """A search of an index: the products (or a sort replica), or the query suggestions."""
    if index == SUGGESTIONS_INDEX:
        params, echo = request_params(fields, RESERVED)
        return SuggestionSearch(index, params, echo)
    return plan_hits(index, fields)


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
    return plan_search(request.index_name, fields)
