"""Catalog analytics request bodies and answers, tested as data."""

from __future__ import annotations

from typing import Any

import pytest

from read_api.analytics.catalog_groups import Grouping, grouping, groups_body, groups_from
from read_api.analytics.catalog_queries import (
    MAX_HISTOGRAM_BUCKETS,
    CatalogScope,
    histogram_bucket_count,
    histogram_buckets,
    metric_aggs,
    smallest_interval,
    summary_body,
    summary_metrics,
)
from read_api.query.fields import UnknownField
from read_api.query.filters import ACTIVE_ONLY
from read_api.query.model import TermsFilter


def _metrics(cents: float, value_cents: float, units: float, out: int) -> dict[str, Any]:
    return {
        "price_min": {"value": 9.990000000000002},
        "price_max": {"value": 20.0},
        "price_cents": {"value": cents},
        "stock_value_cents": {"value": value_cents},
        "stock_units": {"value": units},
        "out_of_stock": {"doc_count": out},
    }


def test_the_scope_keeps_to_active_products_with_the_search_filters() -> None:
    scope = CatalogScope(filters=[TermsFilter(field="brand", values=["Spigen"])], category="Audio")
    clauses = summary_body(scope)["query"]["bool"]["filter"]
    assert clauses[0] == ACTIVE_ONLY
    assert {"terms": {"categories.lvl0": ["Audio"]}} in clauses
    assert any("brand" in str(clause) for clause in clauses[2:])


def test_money_is_summed_in_cents_on_the_chosen_price() -> None:
    aggs = metric_aggs("effective_price")
    assert aggs["price_cents"]["sum"]["script"]["params"] == {"field": "effective_price"}
    assert "Math.round" in aggs["stock_value_cents"]["sum"]["script"]["source"]
    assert aggs["price_min"] == {"min": {"field": "effective_price"}}


def test_metrics_come_back_exact() -> None:
    response = {"hits": {"total": {"value": 3}}, "aggregations": _metrics(4997.0, 12345.0, 7, 1)}
    found = summary_metrics(response)
    assert found.price.sum == 49.97
    assert found.price.min == 9.99
    assert found.price.avg == pytest.approx(49.97 / 3)
    assert (found.stock_value, found.stock_units) == (123.45, 7)
    assert found.out_of_stock_share == pytest.approx(1 / 3)
    empty = summary_metrics({"hits": {"total": {"value": 0}}, "aggregations": _metrics(0, 0, 0, 0)})
    assert (empty.price.avg, empty.out_of_stock_share) == (None, None)


def test_groupings() -> None:
    assert grouping("brand") == Grouping("brand", "field", "brand")
    assert grouping("categories") == Grouping("categories.lvl0", "field", "categories.lvl0")
    assert grouping("attributes.color") == Grouping("attributes.color", "attribute", "color")
    for bad in ("price", "title", "attributes.Bad"):
        with pytest.raises(UnknownField):
            grouping(bad)


def test_attribute_groups_merge_keyword_and_numeric_values() -> None:
    by = grouping("attributes.size")
    body = groups_body(CatalogScope(), by, 2)
    assert set(body["aggs"]) == {"kw", "num"}
    kw_terms = body["aggs"]["kw"]["aggs"]["named"]["aggs"]["groups"]
    assert kw_terms["terms"] == {"field": "attrs_kw.value", "size": 2}
    assert "reverse_nested" in kw_terms["aggs"]["products"]

    def bucket(key: Any, products: int, raw: str | None = None) -> dict[str, Any]:
        found: dict[str, Any] = {
            "key": key,
            "doc_count": products,
            "products": {"doc_count": products, **_metrics(100.0 * products, 0, 0, 0)},
        }
        if raw is not None:
            found["raw"] = {"buckets": [{"key": raw, "doc_count": products}]}
        return found

    response = {
        "aggregations": {
            "kw": {"named": {"groups": {"sum_other_doc_count": 4, "buckets": [
                bucket("weiss", 5, "Weiß"), bucket("xl", 2, "XL")
            ]}}},
            "num": {"named": {"groups": {"sum_other_doc_count": 0, "buckets": [
                bucket(42.0, 3), bucket(1.5, 1)
            ]}}},
        }
    }  # fmt: skip
    groups, other = groups_from(response, by, 2)
    assert [(g.value, g.label, g.products) for g in groups] == [
        ("weiss", "Weiß", 5),
        ("42", "42", 3),
    ]
    assert other == 4 + 2 + 1


def test_histograms_are_bounded() -> None:
    assert histogram_bucket_count(6.99, 571.99, 25) == 23
    assert histogram_bucket_count(10, 10, 0.01) == 1
    interval = smallest_interval(6.99, 571.99)
    assert histogram_bucket_count(6.99, 571.99, interval) <= MAX_HISTOGRAM_BUCKETS
    assert histogram_bucket_count(6.99, 571.99, interval - 0.01) > MAX_HISTOGRAM_BUCKETS


def test_histogram_buckets_have_clean_bounds() -> None:
    response = {
        "aggregations": {
            "prices": {
                "buckets": [
                    {"key": 0.30000000000000004, "doc_count": 2, "stock_value_cents": {"value": 61}}
                ]
            }
        }
    }
    (bucket,) = histogram_buckets(response, 0.1)
    assert (bucket.gte, bucket.lt, bucket.products, bucket.stock_value) == (0.3, 0.4, 2, 0.61)
