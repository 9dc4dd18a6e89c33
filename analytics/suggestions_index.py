"""The query suggestions index: its names and layout (one home for both).

Built whole by the workers (read_api/suggestions/build.py) into a new index
behind the alias, swapped atomically, so searches never see a half-built set.
Its names never start with the products' (`<prefix>-products`): nothing that
manages products indices by pattern can touch it.
"""

from __future__ import annotations

from typing import Any

ALGOLIA_INDEX = "products_query_suggestions"  # the name clients search it by
QUERY = "query"
POPULARITY = "popularity"
NB_WORDS = "nb_words"
PRODUCTS = "products"


def suggestions_alias(prefix: str) -> str:
    """The alias searches read."""
    return f"{prefix}-suggestions"


def suggestions_index(prefix: str, stamp: str) -> str:
    """One built generation behind the alias."""
    return f"{prefix}-suggestions-{stamp}"


def suggestions_index_body(replicas: int) -> dict[str, Any]:
    """Settings and mapping: the query as typed-ahead text, popularity to rank by."""
    return {
        "settings": {
            "index": {"number_of_shards": 1, "number_of_replicas": replicas},
            "analysis": {
                "analyzer": {
                    "folded": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding"]}
                }
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "objectID": {"type": "keyword"},
                QUERY: {"type": "search_as_you_type", "analyzer": "folded"},
                POPULARITY: {"type": "long"},
                NB_WORDS: {"type": "integer"},
                PRODUCTS: {"type": "object", "enabled": False},
            },
        },
    }
