"""`/v1/facets/{facet}/values`: find a value of a long facet by typing its beginning."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from read_api import views
from read_api.cache.http import CachedAnswersDep
from read_api.cache.keys import facet_values_key
from read_api.deps import NATIVE_INDEX_CHECK, QueryLanguages, ReadModelDep, RuleContexts, RulesDep
from read_api.errors import InvalidQuery
from read_api.params import BrowseDep, Category, query_from_params
from read_api.query.facet_values import searchable_facet
from read_api.query.fields import UnknownField
from read_api.query.model import MAX_FACET_VALUES, MAX_QUERY_CHARS
from read_api.routes.responses import READ_ERRORS
from read_api.schemas import FacetValuesResponse

router = APIRouter(prefix="/v1/facets", tags=["search"], dependencies=[NATIVE_INDEX_CHECK])


@router.get("/{facet}/values", responses=READ_ERRORS, response_model=FacetValuesResponse)
async def facet_values(
    model: ReadModelDep,
    params: BrowseDep,
    cached: CachedAnswersDep,
    rules: RulesDep,
    facet: Annotated[
        str, Path(max_length=80, description="`brand`, `categories`, `attributes.color`, ...")
    ],
    q: Annotated[
        str, Query(max_length=100, description="the beginning of a word of the value")
    ] = "",
    query: Annotated[
        str, Query(max_length=MAX_QUERY_CHARS, description="the current search's words")
    ] = "",
    category: Category = None,
    size: Annotated[int, Query(ge=1, le=MAX_FACET_VALUES, description="values to return")] = 10,
    rule_context: RuleContexts = [],  # noqa: B006 - FastAPI copies query defaults
    lang: QueryLanguages = [],  # noqa: B006
) -> Response:
    """Values of a facet with a word starting with `q`, counted under the current search."""
    try:
        searchable_facet(facet)
    except UnknownField as exc:
        raise InvalidQuery(("path", "facet"), str(exc)) from None
    # the search as the rules and synonyms make it: its hidden products, filters, words
    search = rules.apply(query_from_params(query, category, params), rule_context, languages=lang)
    typed = q.strip()
    return await cached.respond(
        facet_values_key(search, facet, typed, size),
        lambda: views.facet_values(model, search, facet, typed, size),
    )
