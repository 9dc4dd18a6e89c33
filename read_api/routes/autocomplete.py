"""`/v1/autocomplete`: suggestions while the shopper types."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from read_api import views
from read_api.cache.http import CachedAnswersDep
from read_api.cache.keys import autocomplete_key
from read_api.deps import NATIVE_INDEX_CHECK, ReadModelDep
from read_api.query.model import MAX_TAG_CHARS, Highlight
from read_api.routes.responses import READ_ERRORS
from read_api.schemas import AutocompleteResponse

router = APIRouter(prefix="/v1", tags=["search"], dependencies=[NATIVE_INDEX_CHECK])
MAX_TYPED_CHARS = 100


@router.get("/autocomplete", responses=READ_ERRORS, response_model=AutocompleteResponse)
async def autocomplete(
    model: ReadModelDep,
    cached: CachedAnswersDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_TYPED_CHARS, description="typed so far")],
    products: Annotated[int, Query(ge=0, le=20, description="products to suggest")] = 5,
    completions: Annotated[int, Query(ge=0, le=20, description="completed queries")] = 5,
    categories: Annotated[int, Query(ge=0, le=20, description="categories to suggest")] = 5,
    highlight_pre_tag: Annotated[str, Query(max_length=MAX_TAG_CHARS)] = "<em>",
    highlight_post_tag: Annotated[str, Query(max_length=MAX_TAG_CHARS)] = "</em>",
) -> Response:
    """Completed queries, matching products and categories for the typed text."""
    highlight = Highlight(pre_tag=highlight_pre_tag, post_tag=highlight_post_tag)
    counts = {"products": products, "completions": completions, "categories": categories}
    return await cached.respond(
        autocomplete_key(q, **counts, highlight=highlight),
        lambda: views.autocomplete(model, q, **counts, highlight=highlight),
    )
