"""`/v1/search`: full-text search with filters, facets, sorting and paging."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Response

from catalog.web.deps import SettingsDep
from read_api import views
from read_api.analytics.search_logging import SearchLogDep, log_search
from read_api.cache.http import CachedAnswersDep
from read_api.cache.keys import search_key
from read_api.deps import NATIVE_INDEX_CHECK, QueryLanguages, ReadModelDep, RuleContexts, RulesDep
from read_api.params import (
    BrowseDep,
    Category,
    SearchRequest,
    Text,
    query_from_body,
    query_from_params,
)
from read_api.routes.responses import READ_ERRORS
from read_api.schemas import SearchResponse

router = APIRouter(prefix="/v1", tags=["search"], dependencies=[NATIVE_INDEX_CHECK])


@router.get("/search", responses=READ_ERRORS, response_model=SearchResponse)
async def search_get(
    model: ReadModelDep,
    params: BrowseDep,
    search_log: SearchLogDep,
    cached: CachedAnswersDep,
    rules: RulesDep,
    q: Text = "",
    category: Category = None,
    rule_context: RuleContexts = [],  # noqa: B006 (FastAPI copies defaults)
    lang: QueryLanguages = [],  # noqa: B006
) -> Response:
    """Search active products: text, filters, facets, sort, page or cursor, highlighting."""
    query = rules.apply(query_from_params(q, category, params), rule_context, languages=lang)
    served = await cached.fetch(search_key(query), lambda: views.search(model, query))
    return cached.response(served, log=partial(log_search, search_log, "search", query))


@router.post("/search", responses=READ_ERRORS, response_model=SearchResponse)
async def search_post(
    model: ReadModelDep,
    settings: SettingsDep,
    search_log: SearchLogDep,
    cached: CachedAnswersDep,
    rules: RulesDep,
    body: SearchRequest,
    rule_context: RuleContexts = [],  # noqa: B006 (FastAPI copies defaults)
    lang: QueryLanguages = [],  # noqa: B006
) -> Response:
    """The same search with a JSON body: structured filters and facets with range boundaries."""
    query = rules.apply(
        query_from_body(body, settings.search_default_page_size), rule_context, languages=lang
    )
    served = await cached.fetch(search_key(query), lambda: views.search(model, query))
    return cached.response(served, log=partial(log_search, search_log, "search", query))
