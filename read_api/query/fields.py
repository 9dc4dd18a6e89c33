"""The fields a query may filter, facet and sort on, and where they live in the index.

This is the read side's only knowledge of the index layout besides the builders
that use it (indexer/index_definition.py defines the layout itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from catalog.products.model import ATTRIBUTE_NAME_PATTERN, MAX_CATEGORY_DEPTH

FieldKind = Literal["keyword", "number", "boolean", "date", "category", "attribute"]
FacetKind = Literal["terms", "numeric", "hierarchical", "attribute"]

ATTRIBUTE_PREFIX = "attributes."
CATEGORY_FIELD = "categories"
CATEGORY_SEPARATOR = " > "
_ATTRIBUTE_NAME = re.compile(ATTRIBUTE_NAME_PATTERN)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One public field: its kind, its index field, its facet, and its disjunctive group."""

    name: str
    kind: FieldKind
    path: str
    facet: FacetKind | None
    group: str  # a facet ignores the filters of its own group (disjunctive counts)


def _spec(name: str, kind: FieldKind, path: str, facet: FacetKind | None) -> FieldSpec:
    return FieldSpec(name, kind, path, facet, name)


_LEVELS = {
    f"categories.lvl{i}": FieldSpec(
        f"categories.lvl{i}", "keyword", f"categories.lvl{i}", "terms", CATEGORY_FIELD
    )
    for i in range(MAX_CATEGORY_DEPTH)
}
FIELDS: dict[str, FieldSpec] = {
    "id": _spec("id", "keyword", "id", None),
    "title": _spec("title", "keyword", "title.raw", None),
    "brand": _spec("brand", "keyword", "brand", "terms"),
    CATEGORY_FIELD: _spec(CATEGORY_FIELD, "category", "categories", "hierarchical"),
    **_LEVELS,
    "price": _spec("price", "number", "price", "numeric"),
    "sale_price": _spec("sale_price", "number", "sale_price", "numeric"),
    "effective_price": _spec("effective_price", "number", "effective_price", "numeric"),
    "on_sale": _spec("on_sale", "boolean", "on_sale", "terms"),
    "stock": _spec("stock", "number", "stock", "numeric"),
    "in_stock": _spec("in_stock", "boolean", "in_stock", "terms"),
    "rating": _spec("rating", "number", "rating", "numeric"),
    "review_count": _spec("review_count", "number", "review_count", "numeric"),
    "created_at": _spec("created_at", "date", "created_at", None),
    "updated_at": _spec("updated_at", "date", "updated_at", None),
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
            return FieldSpec(name, "attribute", attribute, "attribute", name)
    known = ", ".join(FIELDS)
    raise UnknownField(f"unknown field; use one of {known} or attributes.<name>")


def facet_spec(name: str) -> FieldSpec:
    """The spec of a facetable field; ValueError for fields without facets."""
    spec = resolve(name)
    if spec.facet is None:
        raise UnknownField(f"{name} has no facet")
    return spec


def category_level(path: str) -> int:
    """The level (0-based) of a category path written as `A > B > C`."""
    return path.count(CATEGORY_SEPARATOR)
