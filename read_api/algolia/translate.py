"""Algolia parameters to the internal `SearchQuery` (pure): the native engine answers both APIs."""

from __future__ import annotations

from pydantic import ValidationError

from read_api.algolia.errors import AlgoliaError
from read_api.algolia.facet_filters import facet_filters, numeric_filters
from read_api.algolia.filter_language import FilterLanguageError, parse_filters
from read_api.algolia.indices import sort_of
from read_api.algolia.params import AlgoliaParams
from read_api.query.fields import FIELDS, UnknownField, facet_kind, resolve
from read_api.query.model import (
    MAX_FACETS,
    MAX_RESULT_WINDOW,
    FacetRequest,
    Filter,
    Grouping,
    Highlight,
    Paging,
    SearchQuery,
    conjunction,
)

# `facets=*`: every facet Algolia clients can name (attributes are named one by one)
ALL_FACETS: tuple[str, ...] = tuple(
    name for name, spec in FIELDS.items() if spec.facet is not None and spec.facet.algolia
)


def algolia_facet(name: str) -> bool:
    """Whether Algolia clients can count this facet (others are left out, as Algolia does)."""
    try:
        kind = facet_kind(resolve(name))
    except UnknownField:
        return False
    return kind.algolia  # the category menu is counted by its levels `categories.lvl0`..


def facet_names(params: AlgoliaParams) -> list[str]:
    """The facets to count: `*` is all of them; unknown names are left out, not refused."""
    names = list(dict.fromkeys(params.facets))
    if "*" in names:
        names = list(dict.fromkeys([*ALL_FACETS, *names]))
    chosen = [name for name in names if name != "*" and algolia_facet(name)]
    if len(chosen) > MAX_FACETS:
        raise AlgoliaError(400, f"facets: at most {MAX_FACETS} facets may be counted at once")
    return chosen


def request_filters(params: AlgoliaParams) -> list[Filter]:
    """`facetFilters`, `numericFilters` and `filters` together: all of them must hold."""
    found: list[Filter] = []
    try:
        if params.facet_filters:
            found += facet_filters(params.facet_filters)
        if params.numeric_filters:
            found += numeric_filters(params.numeric_filters)
        if params.filters.strip():
            found += parse_filters(params.filters)
    except FilterLanguageError as exc:
        raise AlgoliaError(400, f"filters: {exc.message} at col {exc.column}") from None
    # one field's filters from two parameters must both hold, not be alternatives
    return conjunction(found)


def paging(params: AlgoliaParams) -> Paging:
    """`offset`/`length` when given, else the 0-based `page` of `hitsPerPage` hits."""
    if params.offset is not None:
        size = params.hits_per_page if params.length is None else params.length
        offset = params.offset
    else:
        size = params.hits_per_page
        offset = params.page * size
    if offset + size > MAX_RESULT_WINDOW:
        raise AlgoliaError(
            400, f"page: only the first {MAX_RESULT_WINDOW} hits can be paged through"
        )
    return Paging(offset=offset, size=size)


def search_query(params: AlgoliaParams, index: str) -> SearchQuery:
    """The internal query of an Algolia search on `index` (a replica picks the sort)."""
    sort = sort_of(index)
    filters = request_filters(params)
    highlight = Highlight(
        enabled=params.attributes_to_highlight != [],
        pre_tag=params.highlight_pre_tag,
        post_tag=params.highlight_post_tag,
    )
    try:
        facets = [
            FacetRequest(field=name, size=params.max_values_per_facet)
            for name in facet_names(params)
        ]
        return SearchQuery(
            text=params.query,
            filters=filters,
            facets=facets,
            sort=sort,
            paging=paging(params),
            highlight=highlight,
            typo_tolerance=params.typo_tolerance is not False,
            suggest=False,
            grouping=Grouping(size=params.distinct, facets=params.faceting_after_distinct),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise AlgoliaError(400, f"{where}: {first['msg']}") from None
