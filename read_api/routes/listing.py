"""Category listings: browse a category without words, with the same filters and facets."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from catalog.index_fields import CATEGORY_SEPARATOR
from read_api import views
from read_api.analytics.search_logging import SearchLogDep, log_search
from read_api.cache.http import CachedAnswersDep
from read_api.cache.keys import search_key
from read_api.deps import NATIVE_INDEX_CHECK, ReadModelDep
from read_api.params import BrowseDep, query_from_params
from read_api.routes.responses import READ_ERRORS
from read_api.schemas import SearchResponse

router = APIRouter(prefix="/v1", tags=["listing"], dependencies=[NATIVE_INDEX_CHECK])


@router.get("/listing", responses=READ_ERRORS, response_model=SearchResponse)
async def listing(
    model: ReadModelDep,
    params: BrowseDep,
    search_log: SearchLogDep,
    cached: CachedAnswersDep,
    category: Annotated[
        str, Query(min_length=1, max_length=1300, description="path, e.g. `Audio > Kopfhörer`")
    ],
) -> Response:
    """The active products of a category (and its subcategories)."""
    query = query_from_params("", category, params)
    served = await cached.fetch(search_key(query), lambda: views.search(model, query))
    return cached.response(served, log=partial(log_search, search_log, "listing", query))


@router.get(
    "/categories/{path:path}",
    # an empty path (`/v1/categories/`) matches no route and is a 404
    responses={**READ_ERRORS, 404: {"description": "no category path given"}},
    response_model=SearchResponse,
)
async def category_page(
    model: ReadModelDep,
    params: BrowseDep,
    search_log: SearchLogDep,
    cached: CachedAnswersDep,
    path: Annotated[
        str,
        Path(
            min_length=1,
            max_length=1300,
            description="the category's names separated by `/`, e.g. `Audio/Kopfhörer`",
        ),
    ],
) -> Response:
    """The same listing addressed by a path: `/v1/categories/Audio/Kopfhörer`."""
    names = [name for name in path.split("/") if name]
    category = CATEGORY_SEPARATOR.join(names) if names else path
    query = query_from_params("", category, params)
    served = await cached.fetch(search_key(query), lambda: views.search(model, query))
    return cached.response(served, log=partial(log_search, search_log, "listing", query))
