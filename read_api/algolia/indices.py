"""The Algolia index names this host answers, and the sort order each one stands for."""

from __future__ import annotations

from read_api.algolia.errors import AlgoliaError
from read_api.query.model import Sort

PRIMARY_INDEX = "products"
# Algolia sorts by replica indices; here a replica is only a sort order of the one index
INDEX_SORTS: dict[str, Sort] = {
    PRIMARY_INDEX: "relevance",
    "products_price_asc": "price_asc",
    "products_price_desc": "price_desc",
    "products_newest": "newest",
    "products_rating_desc": "rating",
}


def sort_of(index: str) -> Sort:
    """The sort order of an index name; 404 as Algolia answers for any other name."""
    try:
        return INDEX_SORTS[index]
    except KeyError:
        raise AlgoliaError(404, "Index does not exist") from None
