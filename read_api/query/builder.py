"""The search request body of a query (pure): everything Elasticsearch needs in one request.

Two protocols share it. The native API counts facets disjunctively (a facet
ignores its own field's filters) and highlights snippets, HTML-escaped. The
Algolia protocol counts every facet under all filters of the request (its
clients send the disjunctive queries themselves), counts the values of
numeric facets too, and highlights whole fields unescaped (its clients escape).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from catalog.index_fields import (
    ATTRIBUTES,
    BRAND,
    CATEGORY_PATHS,
    CREATED_AT,
    DESCRIPTION,
    EFFECTIVE_PRICE,
    GROUP_ID,
    ID,
    IMAGES,
    IN_STOCK,
    ON_SALE,
    PRICE,
    RATING,
    REVIEW_COUNT,
    SALE_PRICE,
    STOCK,
    TITLE,
    UPDATED_AT,
)
from read_api.query.cursor import InvalidCursor
from read_api.query.facets import deepest_category, facet_aggs
from read_api.query.fields import CATEGORY_FIELD, facet_spec
from read_api.query.filters import ACTIVE_ONLY, group_clauses, scope_clause, selected_values
from read_api.query.grouping import (
    GROUPS_AGG,
    collapse_clause,
    count_groups,
    group_total_agg,
    grouped,
)
from read_api.query.highlighting import highlight_clause
from read_api.query.model import SearchQuery
from read_api.query.pins import (
    PINNED_AGG,
    boosted,
    hide_clauses,
    organic_window,
    pin_exclusion,
    pin_request,
    place_pins,
)
from read_api.query.sorting import sort_clause
from read_api.query.suggestions import suggest_clause
from read_api.query.text import Stage, next_stage, text_query

# the public fields a hit is built from: internal fields are never fetched
PUBLIC_SOURCE: tuple[str, ...] = (
    ID,
    TITLE,
    DESCRIPTION,
    BRAND,
    CATEGORY_PATHS,
    GROUP_ID,
    PRICE,
    SALE_PRICE,
    EFFECTIVE_PRICE,
    ON_SALE,
    STOCK,
    IN_STOCK,
    RATING,
    REVIEW_COUNT,
    ATTRIBUTES,
    IMAGES,
    CREATED_AT,
    UPDATED_AT,
)


def selected_category(query: SearchQuery) -> str | None:
    """The category path a category facet unfolds: the deepest chosen, or the browse scope."""
    chosen = list(selected_values(query.filters, CATEGORY_FIELD))
    if query.category is not None:
        chosen.append(query.category)
    return deepest_category(chosen)


Protocol = Literal["native", "algolia"]


def search_body(
    query: SearchQuery, protocol: Protocol = "native", stage: Stage = "strict"
) -> dict[str, Any]:
    """The body of the `_search` request that answers `query` at a stage: hits, total, facets."""
    algolia = protocol == "algolia"
    groups = group_clauses(query.filters)
    # Algolia: no post_filter, so every facet counts under all the filters
    facetted = set() if algolia else {facet_spec(f.field).group for f in query.facets}
    post = {group: clause for group, clause in groups.items() if group in facetted}
    merch = query.merchandising
    fixed = [ACTIVE_ONLY, *scope_clause(query.category), *hide_clauses(merch)]
    fixed += [clause for group, clause in groups.items() if group not in facetted]
    sort = sort_clause(query.sort)
    paging = query.paging
    matching = text_query(
        query.text,
        fixed,
        stage=stage,
        typo_tolerance=query.typo_tolerance,
        alternatives=query.alternatives,
    )
    body: dict[str, Any] = {
        "query": boosted(matching, merch),
        "sort": sort,
        "track_total_hits": True,
        "_source": list(PUBLIC_SOURCE),
    }
    pinned = bool(merch.pins) and paging.after is None
    if paging.after is None:
        start, size = (paging.offset, paging.size)
        if pinned:
            start, size = organic_window(merch, paging.offset, paging.size)
        body |= {"from": start, "size": size}
    else:
        if len(paging.after) != len(sort):
            raise InvalidCursor("the cursor belongs to another sort order")
        # one more than asked: whether a next page exists, without counting
        body |= {"search_after": list(paging.after), "size": paging.size + 1}
    post_filters = list(post.values()) + ([pin_exclusion(merch)] if pinned else [])
    if post_filters:
        body["post_filter"] = {"bool": {"filter": post_filters}}
    if query.facets:
        body["aggs"] = facet_aggs(
            query.facets, post, selected_category(query), numeric_values=algolia
        )
        if query.grouping.facets and query.grouping.size:
            count_groups(body["aggs"])
    if query.text.strip() and query.highlight.enabled:
        body["highlight"] = highlight_clause(query.highlight, whole_raw=algolia)
    if query.grouping.size:
        body["collapse"] = collapse_clause(query, sort, body["_source"], body.get("highlight"))
        body.setdefault("aggs", {})[GROUPS_AGG] = group_total_agg(post_filters)
    if pinned:
        request = pin_request(merch, list(post.values()), body.get("highlight"), body["_source"])
        body.setdefault("aggs", {})[PINNED_AGG] = request
    return body


def shaped(query: SearchQuery, response: dict[str, Any]) -> dict[str, Any]:
    """The response as the answer reads it: groups as hits (grouping.py), then pins placed."""
    return merchandised(query, grouped(query, response))


def merchandised(query: SearchQuery, response: dict[str, Any]) -> dict[str, Any]:
    """The response with the pinned products at their positions (as it came without pins)."""
    merch, paging = query.merchandising, query.paging
    if not merch.pins or paging.after is not None:
        return response
    return place_pins(merch, paging.offset, paging.size, response)


def total_hits(response: Mapping[str, Any]) -> int:
    """How many products a search response found (0 where it did not count them)."""
    total = response.get("hits", {}).get("total")
    return int(total["value"]) if isinstance(total, Mapping) else 0


def retry_stage(query: SearchQuery, strict: Mapping[str, Any]) -> Stage | None:
    """The stage to search again with when the strict response found too few, or None."""
    return next_stage(query.text, total_hits(strict))


def suggestion_body(query: SearchQuery) -> dict[str, Any] | None:
    """The follow-up request for a spelling suggestion, once a search found nothing.

    A phrase suggester whose candidates are each checked by a query costs
    more than many searches; only searches without hits need it, so it is
    not part of every search.
    """
    if not (query.suggest and query.text.strip()):
        return None
    return {"size": 0, "track_total_hits": False, "suggest": suggest_clause(query.text)}
