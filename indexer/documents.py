"""The Elasticsearch document of a product, built from its stored MongoDB form (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from catalog.index_fields import (
    ATTRIBUTES,
    ATTRS_KW,
    ATTRS_NUM,
    ATTRS_TEXT,
    CATEGORIES,
    CATEGORY_PATHS,
    CATEGORY_SEPARATOR,
    CATEGORY_TEXT,
    EFFECTIVE_PRICE,
    GROUP_ID,
    ID,
    IDENTIFIERS,
    IMAGES,
    IN_STOCK,
    ON_SALE,
    PAIR_NAME,
    PAIR_VALUE,
    PAIR_VALUE_RAW,
    PRICE,
    STATUS,
    STOCK,
    TITLE,
    VERSION,
    category_level_key,
)
from catalog.products.model import MAX_CATEGORY_DEPTH

# copied as stored when present; absent (or null) optional fields stay absent
_OPTIONAL = ("description", "brand", "sale_price", "rating", "review_count")
# attributes whose values identify one product: a search for one finds it first
IDENTIFIER_ATTRIBUTES = frozenset(
    {"ean", "gtin", "upc", "isbn", "mpn", "sku", "model", "part_number", "article_number"}
)


def document_version(stored: Mapping[str, Any]) -> int:
    """The external version to index with: an older version never overwrites a newer one."""
    return int(stored["version"])


def build_document(stored: Mapping[str, Any]) -> dict[str, Any] | None:
    """The index source of a stored product, or None for a tombstone (the caller deletes)."""
    if stored.get("deleted_at") is not None:
        return None
    price = float(stored["price"])
    sale_price = stored.get("sale_price")
    stock = int(stored.get("stock", 0))
    paths = [list(entry["path"]) for entry in stored.get("categories", [])]
    # by name: the stored key order depends on how the product was written
    attributes: Mapping[str, Any] = dict(sorted(stored.get("attributes", {}).items()))
    # an allow-list, never a copy of `stored`: internal fields cannot leak
    doc: dict[str, Any] = {
        ID: stored["_id"],
        IDENTIFIERS: identifiers(stored["_id"], attributes),
        TITLE: stored["title"],
        GROUP_ID: stored.get("group_id") or stored["_id"],
        STATUS: stored.get("status", "active"),  # the model's default
        PRICE: price,
        EFFECTIVE_PRICE: float(sale_price) if sale_price is not None else price,
        ON_SALE: sale_price is not None and sale_price < price,
        STOCK: stock,
        IN_STOCK: stock > 0,
        CATEGORIES: category_levels(paths),
        CATEGORY_PATHS: _unique(CATEGORY_SEPARATOR.join(path) for path in paths),
        CATEGORY_TEXT: _unique(name for path in paths for name in path),
        ATTRIBUTES: {k: list(v) if isinstance(v, list) else v for k, v in attributes.items()},
        **attribute_fields(attributes),
        IMAGES: [dict(image) for image in stored.get("images", [])],
        VERSION: document_version(stored),
    }
    for name in _OPTIONAL:
        if stored.get(name) is not None:
            doc[name] = stored[name]
    for name in ("created_at", "updated_at"):
        if stored.get(name) is not None:
            doc[name] = _iso(stored[name])
    return doc


def category_levels(paths: list[list[str]]) -> dict[str, list[str]]:
    """Algolia hierarchicalMenu levels: `lvl{i}` holds every path's first i+1 names, joined."""
    levels: dict[str, list[str]] = {}
    for depth in range(MAX_CATEGORY_DEPTH):
        values = {CATEGORY_SEPARATOR.join(path[: depth + 1]) for path in paths if len(path) > depth}
        if values:
            levels[category_level_key(depth)] = sorted(values)
    return levels


def identifiers(product_id: str, attributes: Mapping[str, Any]) -> list[str]:
    """The product's id and the values of its identifying attributes, each once."""
    found = [product_id]
    for name in sorted(IDENTIFIER_ATTRIBUTES & attributes.keys()):
        value = attributes[name]
        values = value if isinstance(value, list) else [value]
        found += [str(v) for v in values if isinstance(v, str | int) and not isinstance(v, bool)]
    return _unique(found)


def attribute_fields(attributes: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Attributes as name/value pairs: keyword values, numeric values and full text."""
    keywords: list[dict[str, str]] = []
    numbers: list[dict[str, Any]] = []
    texts: list[str] = []
    for name, value in attributes.items():
        # bool first: it is an int to Python, but a facet value to shoppers
        if isinstance(value, bool):
            keywords.append(_keyword(name, "true" if value else "false"))
        elif isinstance(value, int | float):
            numbers.append({PAIR_NAME: name, PAIR_VALUE: float(value)})
        elif isinstance(value, str):
            keywords.append(_keyword(name, value))
            texts.append(value)
        elif isinstance(value, list):
            # duplicates would only add nested documents, never a match or a count
            items = _unique(str(item) for item in value)
            keywords.extend(_keyword(name, item) for item in items)
            texts.extend(items)
    return {ATTRS_KW: keywords, ATTRS_NUM: numbers, ATTRS_TEXT: texts}


def _keyword(name: str, value: str) -> dict[str, str]:
    return {PAIR_NAME: name, PAIR_VALUE: value, PAIR_VALUE_RAW: value}


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _iso(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    # BSON dates are UTC; a client without tz_aware hands them over naive
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()
