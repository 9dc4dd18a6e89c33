"""An Elasticsearch search response to the public search answer (pure)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from catalog.index_fields import CATEGORY_PATHS, CATEGORY_SEPARATOR, IMAGES
from read_api.query.builder import PUBLIC_SOURCE
from read_api.query.cursor import encode_cursor
from read_api.query.facet_results import facet_results
from read_api.query.grouping import VARIANTS
from read_api.query.highlighting import pick_highlights
from read_api.query.model import MAX_RESULT_WINDOW, SearchQuery
from read_api.query.suggestions import pick_suggestion
from read_api.schemas import Hit, SearchResponse

Response = Mapping[str, Any]
# every fetched field but the category paths is a public field of the same name
_COPIED = tuple(name for name in PUBLIC_SOURCE if name != CATEGORY_PATHS)


def hit_from_source(source: Mapping[str, Any], highlight: Mapping[str, Any] | None = None) -> Hit:
    """The public hit of an indexed document (only named fields are copied)."""
    fields = {name: source[name] for name in _COPIED if source.get(name) is not None}
    paths = [p.split(CATEGORY_SEPARATOR) for p in source.get(CATEGORY_PATHS, [])]
    return Hit(
        **fields,
        categories=paths,
        image=primary_image(source.get(IMAGES) or []),
        highlights=pick_highlights(highlight or {}),
    )


def hit_of(raw: Mapping[str, Any]) -> Hit:
    """The public hit of one Elasticsearch hit (with its variant count when grouped)."""
    hit = hit_from_source(raw["_source"], raw.get("highlight"))
    if VARIANTS in raw:
        hit.variants = int(raw[VARIANTS])
    return hit


def primary_image(images: list[Mapping[str, Any]]) -> str | None:
    """What a product card shows: the first image's first thumbnail, else its URL."""
    if not images:
        return None
    first = images[0]
    thumbs = first.get("thumbnails") or []
    return str(thumbs[0]["url"]) if thumbs else str(first["url"])


def pages_reachable(total: int, size: int) -> int:
    """How many pages can be fetched by number within the result window."""
    if size == 0:
        return 0
    return min(math.ceil(total / size), MAX_RESULT_WINDOW // size)


def search_response(
    query: SearchQuery, response: Response, selected_category: str | None
) -> SearchResponse:
    """The answer to `query` from its Elasticsearch response."""
    paging = query.paging
    raw_hits = response["hits"]["hits"]
    total = response["hits"]["total"]["value"]
    if paging.after is None:
        more = paging.offset + len(raw_hits) < total
    else:
        more = len(raw_hits) > paging.size
        raw_hits = raw_hits[: paging.size]
    next_cursor = None
    # pinned hits (read_api/query/pins.py) have no sort values: the cursor goes on from
    # the last organic hit
    sorted_hits = [h for h in raw_hits if "sort" in h]
    if more and sorted_hits and not query.grouping.size:  # grouped: pages by number only
        next_cursor = encode_cursor(query, list(sorted_hits[-1]["sort"]))
    return SearchResponse(
        query=query.text,
        total=total,
        page=None if paging.after is not None else paging.offset // max(paging.size, 1) + 1,
        page_size=paging.size,
        pages=pages_reachable(total, paging.size),
        hits=[hit_of(h) for h in raw_hits],
        facets=facet_results(query, response.get("aggregations"), selected_category),
        next_cursor=next_cursor,
        suggestion=pick_suggestion(response.get("suggest"), query.text) if total == 0 else None,
        took_ms=int(response.get("took", 0)),
    )
