"""Catalog metrics per value of a field: brand, a category level, any attribute (pure).

Attributes are nested name/value pairs: their groups count values inside the
nested documents and go back to the products (`reverse_nested`) for the metrics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from catalog.index_fields import ATTRS_KW, ATTRS_KW_VALUE, ATTRS_NUM, ATTRS_NUM_VALUE
from read_api.analytics.catalog_queries import CatalogScope, metric_aggs, metrics, scope_query
from read_api.analytics.catalog_schemas import CatalogGroup, PriceField
from read_api.query.facet_kinds import TermsFacet
from read_api.query.facet_kinds.attribute_facet import attribute_pairs, commonest_spelling
from read_api.query.facet_kinds.facet_kind import bucket_key
from read_api.query.fields import CATEGORY_FIELD, CATEGORY_LEVELS, UnknownField, resolve
from read_api.query.number_format import format_number

Clause = dict[str, Any]
GROUPS = "groups"


@dataclass(frozen=True, slots=True)
class Grouping:
    """What to group by: a keyword or boolean field, or an attribute's values."""

    name: str
    kind: Literal["field", "attribute"]
    path: str


def grouping(by: str) -> Grouping:
    """The grouping of a public field name; UnknownField when it cannot be grouped by."""
    name = CATEGORY_LEVELS[0] if by == CATEGORY_FIELD else by
    spec = resolve(name)
    if spec.kind == "attribute":
        return Grouping(name, "attribute", spec.path)
    if isinstance(spec.facet, TermsFacet):  # one keyword or boolean field
        return Grouping(name, "field", spec.path)
    raise UnknownField(
        f"cannot group by {by}; use brand, on_sale, in_stock, categories.lvl0..5 "
        "or attributes.<name>"
    )


def _values(path: str, name: str, terms: Clause, price_field: PriceField) -> Clause:
    inner: Clause = {"products": {"reverse_nested": {}, "aggs": metric_aggs(price_field)}}
    if path == ATTRS_KW:  # values are folded for grouping; the commonest spelling is shown
        inner["raw"] = commonest_spelling()
    return attribute_pairs(path, name, {GROUPS: {"terms": terms, "aggs": inner}})


def groups_body(scope: CatalogScope, by: Grouping, size: int) -> Clause:
    """One request for the metrics of the `size` largest groups."""
    body: Clause = {"size": 0, "track_total_hits": True, "query": scope_query(scope)}
    if by.kind == "field":
        terms = {"field": by.path, "size": size}
        body["aggs"] = {GROUPS: {"terms": terms, "aggs": metric_aggs(scope.price_field)}}
        return body
    price = scope.price_field
    body["aggs"] = {
        "kw": _values(ATTRS_KW, by.path, {"field": ATTRS_KW_VALUE, "size": size}, price),
        "num": _values(ATTRS_NUM, by.path, {"field": ATTRS_NUM_VALUE, "size": size}, price),
    }
    return body


def _field_groups(aggs: Mapping[str, Any]) -> tuple[list[CatalogGroup], int]:
    result = aggs.get(GROUPS, {})
    groups = []
    for bucket in result.get("buckets", []):
        value = bucket_key(bucket)
        groups.append(
            CatalogGroup(value=value, label=value, **metrics(bucket, bucket["doc_count"]))
        )
    return groups, int(result.get("sum_other_doc_count", 0))


def _attribute_groups(aggs: Mapping[str, Any], size: int) -> tuple[list[CatalogGroup], int]:
    groups: list[CatalogGroup] = []
    other = 0
    for part in ("kw", "num"):
        result = aggs.get(part, {}).get("named", {}).get(GROUPS, {})
        other += int(result.get("sum_other_doc_count", 0))
        for bucket in result.get("buckets", []):
            key = bucket["key"]
            value = format_number(float(key)) if part == "num" else str(key)
            raw = bucket.get("raw", {}).get("buckets", [])
            label = str(raw[0]["key"]) if raw else value
            products = bucket["products"]
            groups.append(
                CatalogGroup(value=value, label=label, **metrics(products, products["doc_count"]))
            )
    groups.sort(key=lambda group: (-group.products, group.value))
    other += sum(group.products for group in groups[size:])
    return groups[:size], other


def groups_from(
    response: Mapping[str, Any], by: Grouping, size: int
) -> tuple[list[CatalogGroup], int]:
    """The groups of a groups request's answer, and the count left in groups not shown."""
    aggs = response.get("aggregations", {})
    return _field_groups(aggs) if by.kind == "field" else _attribute_groups(aggs, size)
