"""HTTP input to the query model: the shared query parameters and the JSON search body."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from catalog.web.deps import SettingsDep, inline
from read_api.errors import InvalidQuery
from read_api.filter_syntax import FilterSyntaxError, error_message, parse_filter
from read_api.query.cursor import InvalidCursor, check_cursor, decode_cursor
from read_api.query.fields import DEFAULT_FACETS
from read_api.query.model import (
    MAX_FACET_VALUES,
    MAX_FACETS,
    MAX_FILTERS,
    MAX_GROUP_HITS,
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    MAX_RESULT_WINDOW,
    MAX_TAG_CHARS,
    FacetRequest,
    Filter,
    Grouping,
    Highlight,
    Paging,
    SearchQuery,
    Sort,
)

Loc = tuple[str | int, ...]
FILTER_HELP = (
    "`field:value`, repeatable: `brand:Spigen`, `-attributes.color:schwarz` (excluded), "
    "`price:[10,25)` or `price:10..50` or `rating:>=4` (ranges), `in_stock:true`, "
    "`categories:Handyzubehör > Hüllen`. Filters on one field are alternatives (OR), "
    "on different fields all must hold (AND)."
)
MAX_CURSOR_CHARS = 2048

Text = Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="the words searched for")]
Category = Annotated[
    str | None,
    Query(min_length=1, max_length=1300, description="browse scope, e.g. `Audio > Kopfhörer`"),
]


@dataclass(frozen=True, slots=True)
class BrowseParams:
    """Everything about a search except its text and scope, as read from the query string."""

    filters: list[Filter]
    facets: list[FacetRequest]
    sort: Sort
    page: int
    page_size: int
    cursor: str | None
    highlight: Highlight
    typo_tolerance: bool
    grouping: Grouping


GROUP_HELP = (
    "one hit per variant group (`group_id`: the colours of one model), with its `variants` "
    "count; `total` counts groups. Pages by number only, not by cursor"
)


def _filters(texts: Sequence[str], loc: Loc) -> list[Filter]:
    if len(texts) > MAX_FILTERS:
        raise InvalidQuery(loc, f"at most {MAX_FILTERS} filters")
    parsed = []
    for index, text in enumerate(texts):
        try:
            parsed.append(parse_filter(text))
        except (FilterSyntaxError, ValidationError, ValueError) as exc:
            raise InvalidQuery((*loc, index), error_message(exc)) from None
    return parsed


def _facets(texts: Sequence[str], size: int, loc: Loc) -> list[FacetRequest]:
    names = [name.strip() for text in texts for name in text.split(",") if name.strip()]
    if "*" in names:
        names = [n for n in dict.fromkeys([*DEFAULT_FACETS, *names]) if n != "*"]
    names = list(dict.fromkeys(names))
    if len(names) > MAX_FACETS:
        raise InvalidQuery(loc, f"at most {MAX_FACETS} facets")
    facets = []
    for index, name in enumerate(names):
        try:
            facets.append(FacetRequest(field=name, size=size))
        except ValidationError as exc:
            raise InvalidQuery((*loc, index), error_message(exc)) from None
    return facets


def browse_params(
    settings: SettingsDep,
    filter_: Annotated[list[str], Query(alias="filter", description=FILTER_HELP)] = [],  # noqa: B006
    facets: Annotated[
        list[str],
        Query(
            description="facets to count, comma-separated or repeated: `brand`, `categories`, "
            "`effective_price`, `attributes.color`, ...; `*` for the standard set"
        ),
    ] = [],  # noqa: B006
    facet_size: Annotated[
        int, Query(ge=1, le=MAX_FACET_VALUES, description="values per facet")
    ] = 10,
    sort: Annotated[Sort, Query(description="order of the hits")] = "relevance",
    page: Annotated[int, Query(ge=1, le=MAX_RESULT_WINDOW, description="1-based page")] = 1,
    page_size: Annotated[
        int | None, Query(ge=0, le=MAX_PAGE_SIZE, description="hits per page")
    ] = None,
    cursor: Annotated[
        str | None,
        Query(max_length=MAX_CURSOR_CHARS, description="`next_cursor` of the previous page"),
    ] = None,
    highlight: Annotated[bool, Query(description="mark matched words in hits")] = True,
    highlight_pre_tag: Annotated[str, Query(max_length=MAX_TAG_CHARS)] = "<em>",
    highlight_post_tag: Annotated[str, Query(max_length=MAX_TAG_CHARS)] = "</em>",
    typo_tolerance: Annotated[bool, Query(description="also match words with typos")] = True,
    group: Annotated[bool, Query(description=GROUP_HELP)] = False,
    group_size: Annotated[
        int, Query(ge=1, le=MAX_GROUP_HITS, description="with `group`: hits per group")
    ] = 1,
    group_facets: Annotated[
        bool, Query(description="with `group`: facet values count groups, not products")
    ] = False,
) -> BrowseParams:
    """The shared query parameters of searches and listings, checked."""
    return BrowseParams(
        filters=_filters(filter_, ("query", "filter")),
        facets=_facets(facets, facet_size, ("query", "facets")),
        sort=sort,
        page=page,
        page_size=settings.search_default_page_size if page_size is None else page_size,
        cursor=cursor,
        highlight=Highlight(
            enabled=highlight, pre_tag=highlight_pre_tag, post_tag=highlight_post_tag
        ),
        typo_tolerance=typo_tolerance,
        grouping=Grouping(size=group_size if group else 0, facets=group and group_facets),
    )


BrowseDep = Annotated[BrowseParams, Depends(inline(browse_params))]


def _paging(page: int, size: int, where: str) -> Paging:
    offset = (page - 1) * size
    if offset + size > MAX_RESULT_WINDOW:
        raise InvalidQuery(
            (where, "page"),
            f"page * page_size may reach {MAX_RESULT_WINDOW}; page deeper with the cursor",
        )
    return Paging(offset=offset, size=size)


def build_query(
    *,
    text: str,
    category: str | None,
    filters: list[Filter],
    facets: list[FacetRequest],
    sort: Sort,
    page: int,
    page_size: int,
    cursor: str | None,
    highlight: Highlight,
    typo_tolerance: bool,
    where: str,
    grouping: Grouping = Grouping(),  # noqa: B008 - frozen
) -> SearchQuery:
    """The query model of a request; InvalidQuery names the parameter that is wrong."""
    fields: dict[str, Any] = {
        "text": text,
        "category": category,
        "filters": filters,
        "facets": facets,
        "sort": sort,
        "highlight": highlight,
        "typo_tolerance": typo_tolerance,
        "grouping": grouping,
    }
    try:
        if cursor is None:
            return SearchQuery(**fields, paging=_paging(page, page_size, where))
        if grouping.size:
            raise InvalidQuery((where, "cursor"), "grouped results are paged by number")
        query = SearchQuery(**fields, paging=Paging(size=page_size))
        key, after = decode_cursor(cursor, sort)
        check_cursor(query, key)
        return query.model_copy(update={"paging": Paging(size=page_size, after=after)})
    except InvalidCursor as exc:
        raise InvalidQuery((where, "cursor"), str(exc)) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidQuery((where, *first["loc"]), error_message(exc)) from None


def query_from_params(text: str, category: str | None, params: BrowseParams) -> SearchQuery:
    """The query model of a GET search or listing."""
    return build_query(
        text=text,
        category=category,
        filters=params.filters,
        facets=params.facets,
        sort=params.sort,
        page=params.page,
        page_size=params.page_size,
        cursor=params.cursor,
        highlight=params.highlight,
        typo_tolerance=params.typo_tolerance,
        grouping=params.grouping,
        where="query",
    )


class SearchRequest(BaseModel):
    """The JSON body of `POST /v1/search`: the same search with structured filters."""

    model_config = ConfigDict(extra="forbid")

    q: Annotated[str, StringConstraints(max_length=MAX_QUERY_CHARS)] = ""
    category: Annotated[str, StringConstraints(min_length=1, max_length=1300)] | None = None
    filters: Annotated[list[Filter], Field(max_length=MAX_FILTERS)] = Field(
        [],
        description="`{field, values, exclude}` for values, `{field, gte|gt|lte|lt, exclude}` "
        "for ranges; OR within a field, AND across fields. `{any: [filter, ...]}` for "
        "alternatives across fields (at least one holds), each `any` required on its own",
    )
    facets: Annotated[list[FacetRequest], Field(max_length=MAX_FACETS)] = []
    sort: Sort = "relevance"
    page: Annotated[int, Field(ge=1, le=MAX_RESULT_WINDOW)] = 1
    page_size: Annotated[int, Field(ge=0, le=MAX_PAGE_SIZE)] | None = None
    cursor: Annotated[str, StringConstraints(max_length=MAX_CURSOR_CHARS)] | None = None
    highlight: Highlight = Highlight()
    typo_tolerance: bool = True
    group: Grouping = Field(
        Grouping(),
        description="`{size: 1..4, facets: bool}`: at most `size` hits per variant group "
        "(`group_id`), `total` counting groups, facet values too with `facets`; size 0 "
        "(the default) does not group. Pages by number only",
    )


def query_from_body(body: SearchRequest, default_page_size: int) -> SearchQuery:
    """The query model of a POST search."""
    return build_query(
        text=body.q,
        category=body.category,
        filters=body.filters,
        facets=body.facets,
        sort=body.sort,
        page=body.page,
        page_size=default_page_size if body.page_size is None else body.page_size,
        cursor=body.cursor,
        highlight=body.highlight,
        typo_tolerance=body.typo_tolerance,
        grouping=body.group,
        where="body",
    )
