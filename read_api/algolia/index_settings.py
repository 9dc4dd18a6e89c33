"""The Algolia protocol's settings read: `GET /1/indexes/{index}/settings`.

What this host does, in Algolia's settings vocabulary: the facets its
clients may count (`attributesForFaceting`), the replicas and their sort,
paging and distinct defaults, and what editors set on the write API
(`/v1/settings`, read from the process's settings book: no I/O): the default
`renderingContent` and stop words. Answered to keys that may read settings
(read_api/algolia/settings_acl.py), as Algolia does.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from catalog.index_fields import GROUP_ID
from catalog.languages import LANGUAGES
from catalog.search_settings.model import SearchSettings
from read_api.algolia.highlight_result import DEFAULT_HIGHLIGHTED
from read_api.algolia.indices import INDEX_SORTS, PRIMARY_INDEX, sort_of
from read_api.algolia.params import DEFAULT_HITS_PER_PAGE, DEFAULT_VALUES_PER_FACET
from read_api.algolia.routes import IndexPath
from read_api.algolia.settings_acl import require_settings_reader, settings_router
from read_api.algolia.translate import ALL_FACETS
from read_api.query.facet_values import searchable_facet
from read_api.query.fields import UnknownField
from read_api.query.model import MAX_RESULT_WINDOW, Sort
from read_api.search_settings.book import SettingsBook

router = settings_router()
# the attributes matched, most important first (read_api/query/text.py weighs them)
SEARCHABLE = ("identifiers", "title", "brand", "categories", "attributes", "description")
RANKING = ["typo", "words", "proximity", "attribute", "exact", "custom"]
# a replica's sort in Algolia's words (relevance: the primary's own ranking)
SORT_RANKING: dict[Sort, list[str]] = {
    "relevance": RANKING,
    "price_asc": ["asc(effective_price)", *RANKING],
    "price_desc": ["desc(effective_price)", *RANKING],
    "newest": ["desc(created_at)", *RANKING],
    "rating": ["desc(rating)", *RANKING],
}


def _faceting(name: str) -> str:
    try:
        searchable_facet(name)
    except UnknownField:
        return name
    return f"searchable({name})"


def index_settings(index: str, editable: SearchSettings) -> dict[str, Any]:
    """The settings of one index (a replica names its primary), as Algolia answers them."""
    settings: dict[str, Any] = {
        "searchableAttributes": list(SEARCHABLE),
        "attributesForFaceting": [_faceting(name) for name in ALL_FACETS],
        "attributesToHighlight": list(DEFAULT_HIGHLIGHTED),
        "ranking": SORT_RANKING[sort_of(index)],
        "customRanking": ["desc(in_stock)", "desc(rating)"],
        "hitsPerPage": DEFAULT_HITS_PER_PAGE,
        "maxValuesPerFacet": DEFAULT_VALUES_PER_FACET,
        "paginationLimitedTo": MAX_RESULT_WINDOW,
        "attributeForDistinct": GROUP_ID,
        "distinct": 0,
        "typoTolerance": True,
        "highlightPreTag": "<em>",
        "highlightPostTag": "</em>",
        # Algolia's form: the languages whose stop words are removed (false: none)
        "removeStopWords": sorted(lang for lang, words in editable.stopWords.items() if words)
        or False,
        "queryLanguages": list(LANGUAGES),
    }
    if index == PRIMARY_INDEX:
        settings["replicas"] = [name for name in INDEX_SORTS if name != PRIMARY_INDEX]
    else:
        settings["primary"] = PRIMARY_INDEX
    if editable.renderingContent is not None:
        settings["renderingContent"] = editable.renderingContent.model_dump(
            mode="json", exclude_none=True
        )
    return settings


@router.get("/{index}/settings", summary="Get an index's settings")
async def get_settings(request: Request, index: IndexPath) -> JSONResponse:
    """The index's settings, with the editors' current stop words and facet order applied."""
    require_settings_reader(request, index, "settings")
    book: SettingsBook | None = getattr(request.app.state, "search_settings", None)
    return JSONResponse(index_settings(index, book.index if book else SearchSettings()))
