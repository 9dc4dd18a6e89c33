"""The fields a query may filter, facet and sort on, and where they live in the index.

This is the read side's only knowledge of the index layout besides the builders
that use it (catalog/index_fields.py names the index's fields, and
indexer/index_definition.py defines the layout itself). A field's facet is its
kind object (read_api/query/facet_kinds/), never a name to compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from catalog import index_fields
from catalog.products.model import ATTRIBUTE_NAME_PATTERN
from read_api.query.facet_kinds import ATTRIBUTE, HIERARCHICAL, NUMERIC, TERMS, FacetKind

FieldKind = Literal["keyword", "number", "boolean", "date", "category", "attribute"]

ATTRIBUTE_PREFIX = "attributes."
CATEGORY_FIELD = "categories"
_ATTRIBUTE_NAME = re.compile(ATTRIBUTE_NAME_PATTERN)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One public field: its kind, its index field, its facet kind, and its disjunctive group."""

    name: str
    kind: FieldKind
    path: str
    facet: FacetKind | None
    group: str  # a facet ignores the filters of its own group (disjunctive counts)


def _spec(name: str, kind: FieldKind, path: str, facet: FacetKind | None) -> FieldSpec:
    return FieldSpec(name, kind, path, facet, name)


# the public names of the category levels are their index fields (Algolia's record form)
_LEVELS = {
    level: FieldSpec(level, "keyword", level, TERMS, CATEGORY_FIELD)
    for level in index_fields.CATEGORY_LEVEL_FIELDS
}
CATEGORY_LEVELS: tuple[str, ...] = tuple(_LEVELS)  # `categories.lvl0`..
FIELDS: dict[str, FieldSpec] = {
    "id": _spec("id", "keyword", index_fields.ID, None),
    "title": _spec("title", "keyword", index_fields.TITLE_RAW, None),
    "brand": _spec("brand", "keyword", index_fields.BRAND, TERMS),
    "group_id": _spec("group_id", "keyword", index_fields.GROUP_ID, None),
    CATEGORY_FIELD: _spec(CATEGORY_FIELD, "category", index_fields.CATEGORIES, HIERARCHICAL),
    **_LEVELS,
    "price": _spec("price", "number", index_fields.PRICE, NUMERIC),
    "sale_price": _spec("sale_price", "number", index_fields.SALE_PRICE, NUMERIC),
    "effective_price": _spec("effective_price", "number", index_fields.EFFECTIVE_PRICE, NUMERIC),
    "on_sale": _spec("on_sale", "boolean", index_fields.ON_SALE, TERMS),
    "stock": _spec("stock", "number", index_fields.STOCK, NUMERIC),
    "in_stock": _spec("in_stock", "boolean", index_fields.IN_STOCK, TERMS),
    "rating": _spec("rating", "number", index_fields.RATING, NUMERIC),
    "review_count": _spec("review_count", "number", index_fields.REVIEW_COUNT, NUMERIC),
    "created_at": _spec("created_at", "date", index_fields.CREATED_AT, None),
    "updated_at": _spec("updated_at", "date", index_fields.UPDATED_AT, None),
}
# `*` in a facet list means these (attributes are named one by one)
DEFAULT_FACETS: tuple[str, ...] = (
    "brand",
    CATEGORY_FIELD,
    "effective_price",
    "on_sale",
    "in_stock",
    "rating",
)


class UnknownField(ValueError):
    """A field name the catalog does not know."""


def resolve(name: str) -> FieldSpec:
    """The spec of a public field name (`brand`, `price`, `attributes.color`, ...)."""
    if name in FIELDS:
        return FIELDS[name]
    if name.startswith(ATTRIBUTE_PREFIX):
        attribute = name[len(ATTRIBUTE_PREFIX) :]
        if _ATTRIBUTE_NAME.fullmatch(attribute):
            return FieldSpec(name, "attribute", attribute, ATTRIBUTE, name)
    known = ", ".join(FIELDS)
    raise UnknownField(f"unknown field; use one of {known} or attributes.<name>")


def facet_kind(spec: FieldSpec) -> FacetKind:
    """The facet kind of a field; UnknownField (a ValueError) for fields without facets."""
    if spec.facet is None:
        raise UnknownField(f"{spec.name} has no facet")
    return spec.facet


def facet_spec(name: str) -> FieldSpec:
    """The spec of a facetable field; UnknownField (a ValueError) for fields without facets."""
    spec = resolve(name)
    facet_kind(spec)
    return spec


def category_level(path: str) -> int:
    """The level (0-based) of a category path written as `A > B > C`."""
    return path.count(index_fields.CATEGORY_SEPARATOR)
