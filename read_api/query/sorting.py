"""Sort orders (pure): each ends with the id, so the order is total and a cursor is exact."""

from __future__ import annotations

from typing import Any

from catalog.index_fields import CREATED_AT, EFFECTIVE_PRICE, ID, RATING, REVIEW_COUNT
from read_api.query.model import Sort

TIEBREAKER: dict[str, Any] = {ID: "asc"}

# prices sort by what the shopper pays (the sale price while on sale)
SORTS: dict[Sort, list[dict[str, Any]]] = {
    "relevance": [{"_score": "desc"}, TIEBREAKER],
    "price_asc": [{EFFECTIVE_PRICE: "asc"}, TIEBREAKER],
    "price_desc": [{EFFECTIVE_PRICE: "desc"}, TIEBREAKER],
    "newest": [{CREATED_AT: {"order": "desc", "missing": "_last"}}, TIEBREAKER],
    "rating": [
        {RATING: {"order": "desc", "missing": "_last"}},
        {REVIEW_COUNT: {"order": "desc", "missing": "_last"}},
        TIEBREAKER,
    ],
}


def sort_clause(sort: Sort) -> list[dict[str, Any]]:
    """The Elasticsearch sort of a named order."""
    return [dict(key) for key in SORTS[sort]]
