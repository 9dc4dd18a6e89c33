"""Cache keys: a digest of the normalised request, so equal requests share one entry (pure).

The key holds what decides the answer and nothing else: the parsed query
model with its defaults filled in and its filters in canonical form, so the
order of parameters, GET or POST, `/v1/listing?category=A > B` or
`/v1/categories/A/B` make no difference. The prefix holds the ranking
version (ranking_version.py), so new ranking code never reads old orders.
The generation is not part of the key: an entry records the generation it
was computed under (see store.py).
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from read_api.cache.ranking_version import RANKING_VERSION
from read_api.query.canonical import canonical_filters
from read_api.query.model import Highlight, SearchQuery

# part of every key: bump it when the shape of cached answers changes
FORMAT = 1
PREFIX = f"catalog:rc:{FORMAT}:{RANKING_VERSION}"


def _key(kind: str, material: dict[str, Any]) -> str:
    raw = orjson.dumps({"kind": kind, **material}, option=orjson.OPT_SORT_KEYS)
    return f"{PREFIX}:{kind}:{hashlib.sha256(raw).hexdigest()[:40]}"


def _highlight(highlight: Highlight) -> dict[str, Any]:
    # the tags change nothing when highlighting is off
    return highlight.model_dump() if highlight.enabled else {"enabled": False}


def canonical_query(query: SearchQuery) -> dict[str, Any]:
    """The query as plain data: every field with its default, filters in canonical form."""
    data = query.model_dump(mode="json", exclude={"filters", "highlight"})
    data["filters"] = canonical_filters(query.filters)
    data["highlight"] = _highlight(query.highlight)
    return data


def search_key(query: SearchQuery) -> str:
    """Searches and listings: the same query model gives the same answer."""
    return _key("search", {"query": canonical_query(query)})


def product_key(product_id: str) -> str:
    """Product detail."""
    return _key("product", {"id": product_id})


def autocomplete_key(
    text: str, *, products: int, completions: int, categories: int, highlight: Highlight
) -> str:
    """Autocomplete for the typed text."""
    counts = {"products": products, "completions": completions, "categories": categories}
    return _key("autocomplete", {"text": text, **counts, "highlight": _highlight(highlight)})


def facet_values_key(query: SearchQuery, facet: str, typed: str, size: int) -> str:
    """Facet value search under a query."""
    material = {"query": canonical_query(query), "facet": facet, "typed": typed, "size": size}
    material["tags"] = query.highlight.model_dump()  # marks the typed part even with it off
    return _key("facet_values", material)
