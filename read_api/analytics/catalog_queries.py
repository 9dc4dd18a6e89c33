"""Catalog analytics as Elasticsearch aggregations, and their answers (pure).

Money is summed in cents by a script (`round(price * 100)`, times stock), so
sums are exact integers however many products there are (below 2^53 cents),
not floating-point sums of 19.99s.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalog.index_fields import IN_STOCK, STOCK
from read_api.analytics.catalog_schemas import (
    CatalogMetrics,
    HistogramBucket,
    PriceField,
    PriceStats,
)
from read_api.query.filters import ACTIVE_ONLY, group_clauses, scope_clause
from read_api.query.model import Filter

Clause = dict[str, Any]
MAX_GROUPS = 100
MAX_HISTOGRAM_BUCKETS = 500
# the price field in cents (scaled_float holds cents: rounding undoes the double's error)
_CENTS = "doc[params.field].size() == 0 ? 0L : Math.round(doc[params.field].value * 100)"
PRICE_CENTS_SCRIPT = _CENTS
STOCK_VALUE_CENTS_SCRIPT = f"({_CENTS}) * doc['stock'].value"


@dataclass(frozen=True, slots=True)
class CatalogScope:
    """Which active products to count: filters as in search, a category, the price to use."""

    filters: Sequence[Filter] = ()
    category: str | None = None
    price_field: PriceField = "price"


def scope_query(scope: CatalogScope) -> Clause:
    """Active products in scope."""
    clauses = [ACTIVE_ONLY, *scope_clause(scope.category), *group_clauses(scope.filters).values()]
    return {"bool": {"filter": clauses}}


def _script(source: str, price_field: str) -> Clause:
    return {"script": {"source": source, "lang": "painless", "params": {"field": price_field}}}


def metric_aggs(price_field: PriceField) -> dict[str, Clause]:
    """The aggregations behind CatalogMetrics, for any set of products."""
    return {
        "price_min": {"min": {"field": price_field}},
        "price_max": {"max": {"field": price_field}},
        "price_cents": {"sum": _script(PRICE_CENTS_SCRIPT, price_field)},
        "stock_value_cents": {"sum": _script(STOCK_VALUE_CENTS_SCRIPT, price_field)},
        "stock_units": {"sum": {"field": STOCK}},
        "out_of_stock": {"filter": {"term": {IN_STOCK: False}}},
    }


def summary_body(scope: CatalogScope) -> Clause:
    """One request for the metrics of everything in scope."""
    return {
        "size": 0,
        "track_total_hits": True,
        "query": scope_query(scope),
        "aggs": metric_aggs(scope.price_field),
    }


def _price(value: float | None) -> float | None:
    # prices are whole cents; a bucket's min/max may carry the scaling's float error
    return None if value is None else round(value, 2)


def metrics(aggs: Mapping[str, Any], products: int) -> dict[str, Any]:
    """CatalogMetrics fields from the metric aggregations of `products` products."""
    cents = round(aggs["price_cents"]["value"] or 0)
    out_of_stock = int(aggs["out_of_stock"]["doc_count"])
    return {
        "products": products,
        "price": PriceStats(
            min=_price(aggs["price_min"]["value"]),
            max=_price(aggs["price_max"]["value"]),
            avg=round(cents / products / 100, 6) if products else None,
            sum=cents / 100,
        ),
        "stock_units": round(aggs["stock_units"]["value"] or 0),
        "stock_value": round(aggs["stock_value_cents"]["value"] or 0) / 100,
        "out_of_stock": out_of_stock,
        "out_of_stock_share": out_of_stock / products if products else None,
    }


def summary_metrics(response: Mapping[str, Any]) -> CatalogMetrics:
    """The metrics of a summary request's answer."""
    total = int(response["hits"]["total"]["value"])
    return CatalogMetrics(**metrics(response["aggregations"], total))


def histogram_bucket_count(low: float, high: float, interval: float) -> int:
    """How many intervals of this width reach from `low` to `high` (as Elasticsearch keys them)."""
    return math.floor(high / interval) - math.floor(low / interval) + 1


def smallest_interval(low: float, high: float) -> float:
    """The narrowest interval (whole cents) that keeps a histogram within its bucket bound."""
    cents = math.ceil((high - low) * 100 / (MAX_HISTOGRAM_BUCKETS - 1))
    while histogram_bucket_count(low, high, max(cents, 1) / 100) > MAX_HISTOGRAM_BUCKETS:
        cents += 1
    return max(cents, 1) / 100


def histogram_body(scope: CatalogScope, interval: float) -> Clause:
    """Products per price interval, with empty intervals between the extremes."""
    histogram = {"field": scope.price_field, "interval": interval, "min_doc_count": 0}
    value = {"stock_value_cents": metric_aggs(scope.price_field)["stock_value_cents"]}
    return {
        "size": 0,
        "track_total_hits": True,
        "query": scope_query(scope),
        "aggs": {"prices": {"histogram": histogram, "aggs": value}},
    }


def histogram_buckets(response: Mapping[str, Any], interval: float) -> list[HistogramBucket]:
    """The buckets of a histogram request's answer."""
    buckets = response.get("aggregations", {}).get("prices", {}).get("buckets", [])
    return [
        HistogramBucket(
            gte=round(b["key"], 2),
            lt=round(b["key"] + interval, 2),
            products=b["doc_count"],
            stock_value=round(b["stock_value_cents"]["value"] or 0) / 100,
        )
        for b in buckets
    ]
