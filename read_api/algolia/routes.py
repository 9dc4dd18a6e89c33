"""The Algolia protocol's routes: search, multi-query, facet value search, getObject(s).

Routes only translate HTTP into plans and answers. Bodies are read as JSON
whatever their content type: Algolia's JavaScript client posts JSON as
`application/x-www-form-urlencoded` so browsers skip the CORS preflight.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Request, Response
from pydantic import ValidationError

from analytics.search_log import SearchLog
from read_api import views
from read_api.access import access_of
from read_api.algolia.errors import AlgoliaError
from read_api.algolia.execution import answers, run_plans
from read_api.algolia.indices import sort_of
from read_api.algolia.objects import ObjectsRequest, object_answer, possible_id
from read_api.algolia.params import invalid
from read_api.algolia.records import Record
from read_api.algolia.searches import (
    FacetSearch,
    HitsSearch,
    MultiQuery,
    Planned,
    plan_facet_values,
    plan_request,
    plan_search,
)
from read_api.analytics.search_logging import SearchLogDep
from read_api.bodies import BodyTooLarge, bounded_body
from read_api.cache.http import CachedAnswers, CachedAnswersDep
from read_api.cache.keys import product_key
from read_api.deps import ReadModelDep, Rules, RulesDep

ALGOLIA_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "a bad parameter or filter: `{message, status}`"},
    404: {"description": "no such index or object: `{message, status}`"},
    429: {"description": "this client's rate limit is used up; retry after Retry-After"},
    503: {"description": "Elasticsearch cannot answer; retry after Retry-After"},
}
router = APIRouter(prefix="/1/indexes", tags=["algolia"], responses=ALGOLIA_ERRORS)
IndexPath = Annotated[str, Path(max_length=200, description="`products` or a sort replica")]
CLIENT_FIELDS = ("x-algolia-api-key", "x-algolia-application-id", "x-algolia-agent")


def allow_index(request: Request, *indices: str) -> None:
    """403 for an index a secured key's `restrictIndices` leave out, as Algolia answers."""
    access = access_of(request.scope)
    for index in indices:
        if not access.allows_index(index):
            raise AlgoliaError(403, f"Index {index} is not allowed with this API key")


async def json_body(request: Request) -> dict[str, Any]:
    try:
        # the read API's one limit (the middleware refuses a declared length above it first)
        raw = await bounded_body(request, request.app.state.settings.read_max_body_bytes)
    except BodyTooLarge as exc:
        raise AlgoliaError(413, str(exc)) from None
    if not raw.strip():
        return {}
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise AlgoliaError(400, "the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise AlgoliaError(400, "the request body must be a JSON object")
    return body


def _ruled(plan: Planned, rules: Rules) -> Planned:
    """A search as the query rules, settings and synonyms change it (`ruleContexts`,
    `enableRules`): for hits, and for facet values (their hidden products, filters, words)."""
    if not isinstance(plan, HitsSearch | FacetSearch):
        return plan
    params = plan.params
    query = rules.apply(
        plan.query,
        params.rule_contexts,
        enabled=params.enable_rules,
        languages=params.query_languages,
    )
    return plan if query is plan.query else dataclasses.replace(plan, query=query)


def _json(content: Any, cache_state: str | None = None) -> Response:
    headers = {"X-Cache": cache_state} if cache_state else None
    return Response(orjson.dumps(content), media_type="application/json", headers=headers)


async def _answer_one(
    request: Request, model: views.ReadModel, plan: Planned, search_log: SearchLog
) -> Response:
    started = time.perf_counter()
    ran = await run_plans(request, model, [plan])
    return _json(answers([plan], ran, started, search_log)[0], ran.cache_state)


async def _record(
    model: views.ReadModel, cached: CachedAnswers, object_id: str, attributes: Any
) -> Record | None:
    if not possible_id(object_id):
        return None
    served = await cached.fetch(product_key(object_id), lambda: views.product(model, object_id))
    return object_answer(served.answer, attributes)


@router.post("/*/queries", summary="Search several indices at once (multi-query)")
async def multi_query(
    request: Request, model: ReadModelDep, search_log: SearchLogDep, rules: RulesDep
) -> Response:
    """Every request of the body, run in one Elasticsearch round trip: `{"results": [...]}`."""
    started = time.perf_counter()
    body = await json_body(request)
    try:
        multi = MultiQuery.model_validate(body)
    except ValidationError as exc:
        raise invalid(exc) from None
    allow_index(request, *(item.index_name for item in multi.requests))
    plans = [
        _ruled(plan_request(item, raw), rules)
        for item, raw in zip(multi.requests, body["requests"], strict=True)
    ]
    ran = await run_plans(request, model, plans)
    return _json({"results": answers(plans, ran, started, search_log)}, ran.cache_state)


@router.post("/*/objects", summary="Get several records by objectID")
async def get_objects(request: Request, model: ReadModelDep, cached: CachedAnswersDep) -> Response:
    """`{"results": [record or null, ...]}` in the order asked; hidden products are null."""
    body = await json_body(request)
    try:
        wanted = ObjectsRequest.model_validate(body)
    except ValidationError as exc:
        raise invalid(exc) from None
    for item in wanted.requests:
        sort_of(item.index_name)
    allow_index(request, *(item.index_name for item in wanted.requests))
    results = await asyncio.gather(
        *(
            _record(model, cached, item.object_id, item.attributes_to_retrieve)
            for item in wanted.requests
        )
    )
    return _json({"results": results})


@router.post("/{index}/query", summary="Search one index")
async def search_index(
    request: Request,
    index: IndexPath,
    model: ReadModelDep,
    search_log: SearchLogDep,
    rules: RulesDep,
) -> Response:
    """Hits, facets and paging of one search; parameters as fields or a `params` string."""
    allow_index(request, index)
    plan = _ruled(plan_search(index, await json_body(request)), rules)
    return await _answer_one(request, model, plan, search_log)


@router.get("/{index}", summary="Search one index (parameters in the query string)")
async def search_index_get(
    request: Request,
    index: IndexPath,
    model: ReadModelDep,
    search_log: SearchLogDep,
    rules: RulesDep,
) -> Response:
    """The same search with its parameters in the URL."""
    allow_index(request, index)
    fields = {k: v for k, v in request.query_params.items() if k.lower() not in CLIENT_FIELDS}
    plan = _ruled(plan_search(index, fields), rules)
    return await _answer_one(request, model, plan, search_log)


@router.post("/{index}/facets/{facet}/query", summary="Search for facet values")
async def search_facet_values(
    request: Request,
    index: IndexPath,
    facet: Annotated[str, Path(max_length=200)],
    model: ReadModelDep,
    search_log: SearchLogDep,
    rules: RulesDep,
) -> Response:
    """The facet's values matching `facetQuery`, counted under the search parameters given."""
    allow_index(request, index)
    plan = _ruled(plan_facet_values(index, facet, await json_body(request)), rules)
    return await _answer_one(request, model, plan, search_log)


@router.get("/{index}/{object_id}", summary="Get a record by objectID")
async def get_object(
    request: Request,
    index: IndexPath,
    object_id: Annotated[str, Path(max_length=200)],
    model: ReadModelDep,
    cached: CachedAnswersDep,
) -> Response:
    """An active product as a record; drafts, archived and unknown ids are 404."""
    sort_of(index)
    allow_index(request, index)
    attributes = request.query_params.get("attributesToRetrieve")
    record = await _record(model, cached, object_id, attributes)
    if record is None:
        raise AlgoliaError(404, "ObjectID does not exist")
    return _json(record)
