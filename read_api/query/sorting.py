"""Sort orders (pure): each ends with the id, so the order is total and a cursor is exact."""

from __future__ import annotations

from typing import Any

from read_api.query.model import Sort

TIEBREAKER: dict[str, Any] = {"id": "asc"}

# prices sort by what the shopper pays (the sale price while on sale)
SORTS: dict[Sort, list[dict[str, Any]]] = {
    "relevance": [{"_score": "desc"}, TIEBREAKER],
    "price_asc": [{"effective_price": "asc"}, TIEBREAKER],
    "price_desc": [{"effective_price": "desc"}, TIEBREAKER],
    "newest": [{"created_at": {"order": "desc", "missing": "_last"}}, TIEBREAKER],
    "rating": [
        {"rating": {"order": "desc", "missing": "_last"}},
        {"review_count": {"order": "desc", "missing": "_last"}},
        TIEBREAKER,
    ],
}


def sort_clause(sort: Sort) -> list[dict[str, Any]]:
    """The Elasticsearch sort of a named order."""
    return [dict(key) for key in SORTS[sort]]
