"""The read side's views: each runs one Elasticsearch request built by the pure builders.

A search whose strict stage finds too few runs again tolerantly (typos, all
words but one; see read_api.query.text), and one that still finds nothing runs
a last request for its spelling suggestion.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.exceptions import HTTP_EXCEPTIONS, TransportError

from catalog.index_fields import ID
from read_api.query.autocomplete import (
    autocomplete_body,
    autocomplete_response,
    popular_completions,
)
from read_api.query.builder import (
    PUBLIC_SOURCE,
    retry_stage,
    search_body,
    selected_category,
    shaped,
    suggestion_body,
    total_hits,
)
from read_api.query.facet_values import facet_values_body, facet_values_response
from read_api.query.filters import ACTIVE_ONLY
from read_api.query.grouping import variant_count_body, with_variant_counts
from read_api.query.model import Highlight, SearchQuery
from read_api.query.results import hit_from_source, search_response
from read_api.query.text import Stage
from read_api.schemas import AutocompleteResponse, FacetValuesResponse, Hit, SearchResponse
from read_api.suggestions.search import suggestions_body


@dataclass(frozen=True, slots=True)
class ReadModel:
    """The products alias in Elasticsearch, as the read API queries it."""

    es: AsyncElasticsearch
    alias: str
    timeout_s: float
    suggestions: str = ""  # the query suggestions' alias (read_api/suggestions)
    # clauses every hit must satisfy whatever is asked (a secured key's filters)
    restrict: tuple[dict[str, Any], ...] = ()

    def restricted(self, body: dict[str, Any]) -> dict[str, Any]:
        """The body with the restriction around its query (filters: scores are unchanged).

        Aggregations count under the query, so facets stay inside it too; the
        spelling suggester reads the whole index, so a restricted search has none.
        """
        if not self.restrict:
            return body
        inner = body.get("query", {"match_all": {}})
        wrapped = {"bool": {"must": [inner], "filter": list(self.restrict)}}
        return {k: v for k, v in body.items() if k != "suggest"} | {"query": wrapped}

    async def run(self, body: dict[str, Any], index: str | None = None) -> dict[str, Any]:
        """One `_search` request against the alias (or another index of the read model)."""
        # another index (the suggestions) may not exist yet: no hits then, not an error
        extra: dict[str, Any] = {"ignore_unavailable": True} if index else {}
        response: dict[str, Any] = await self.es.search(
            index=index or self.alias,
            body=self.restricted(body),
            request_timeout=self.timeout_s,
            **extra,
        )
        return response

    async def run_many(
        self, bodies: Sequence[dict[str, Any]], indices: Sequence[str | None] = ()
    ) -> list[dict[str, Any]]:
        """Several searches in one `_msearch` round trip (each against the alias, or the
        index given for it); a failed one raises as `run` would."""
        lines: list[dict[str, Any]] = []
        for n, body in enumerate(bodies):
            index = indices[n] if n < len(indices) else None
            header = {"index": index, "ignore_unavailable": True} if index else {}
            lines += [header, self.restricted(body)]
        answer = await self.es.msearch(body=lines, index=self.alias, request_timeout=self.timeout_s)
        responses: list[dict[str, Any]] = answer["responses"]
        for response in responses:
            if "error" in response:
                status = int(response.get("status", 500))
                error = response["error"]
                reason = error.get("type", "error") if isinstance(error, dict) else str(error)
                # the class `search` raises for this status (the stubs mistype the table)
                error_class: Any = HTTP_EXCEPTIONS.get(status, TransportError)
                raise error_class(status, reason, response)
        return responses


async def _staged(
    model: ReadModel, query: SearchQuery, body: Callable[[Stage], dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The strict stage's response, or the second stage's when the strict one found too few;
    and the body that got it."""
    sent = body("strict")
    response = await model.run(sent)
    if stage := retry_stage(query, response):
        sent = body(stage)
        response = await model.run(sent)
    return response, sent


async def search(model: ReadModel, query: SearchQuery) -> SearchResponse:
    """Hits, total, facets and the next cursor for a query."""
    response, sent = await _staged(model, query, lambda stage: search_body(query, stage=stage))
    if counting := variant_count_body(query, sent, response):
        response = with_variant_counts(response, await model.run(counting))
    response = shaped(query, response)
    if total_hits(response) == 0 and (follow_up := suggestion_body(query)):
        response["suggest"] = (await model.run(follow_up)).get("suggest")
    return search_response(query, response, selected_category(query))


async def product(model: ReadModel, product_id: str) -> Hit | None:
    """An active product by id, or None (drafts, archived and deleted products are hidden)."""
    body = {
        "query": {"bool": {"filter": [ACTIVE_ONLY, {"term": {ID: product_id}}]}},
        "size": 1,
        "_source": list(PUBLIC_SOURCE),
    }
    hits = (await model.run(body))["hits"]["hits"]
    return hit_from_source(hits[0]["_source"]) if hits else None


async def autocomplete(
    model: ReadModel,
    text: str,
    *,
    products: int,
    completions: int,
    categories: int,
    highlight: Highlight,
) -> AutocompleteResponse:
    """Products, completed queries and categories for what has been typed so far."""
    body = autocomplete_body(
        text, products=products, completions=completions, categories=categories, highlight=highlight
    )
    popular = None
    if completions and model.suggestions:  # with the popular queries, in the same round trip
        popular_body = suggestions_body(text, 0, completions + 1)
        response, found = await model.run_many([body, popular_body], [None, model.suggestions])
        popular = popular_completions(text, found, highlight)
    else:
        response = await model.run(body)
    return autocomplete_response(
        text,
        response,
        completions=completions,
        categories=categories,
        highlight=highlight,
        popular=popular,
    )


async def facet_values(
    model: ReadModel, query: SearchQuery, facet: str, typed: str, size: int
) -> FacetValuesResponse:
    """The facet's values starting with `typed`, counted under the query."""
    response, _ = await _staged(
        model, query, lambda stage: facet_values_body(query, facet, typed, size, stage=stage)
    )
    return facet_values_response(query, facet, typed, size, response, query.highlight)
