"""Elasticsearch answers become the public shapes: named fields only, facets, cursors."""

from __future__ import annotations

from typing import Any

from read_api.query.cursor import decode_cursor
from read_api.query.model import SearchQuery
from read_api.query.results import hit_from_source, pages_reachable, search_response

SOURCE: dict[str, Any] = {
    "id": "ACME-1",
    "title": "Hülle",
    "status": "draft",
    "price": 19.99,
    "effective_price": 19.99,
    "on_sale": False,
    "stock": 3,
    "in_stock": True,
    "category_paths": ["Handyzubehör > Hüllen"],
    "attributes": {"color": "rot", "weight_g": 35, "magsafe": True},
    "attrs_kw": [{"name": "color", "value": "rot", "value_raw": "rot"}],
    "version": 4,
}


def test_a_hit_copies_only_public_fields() -> None:
    hit = hit_from_source(SOURCE, {"title.en": ["<em>Hülle</em>"]})
    dumped = hit.model_dump()
    assert "status" not in dumped
    assert "attrs_kw" not in dumped
    assert "version" not in dumped
    assert hit.categories == [["Handyzubehör", "Hüllen"]]
    assert hit.attributes == {"color": "rot", "weight_g": 35, "magsafe": True}
    assert hit.highlights == {"title": "<em>Hülle</em>"}


def _bucket(key: Any, count: int, **extra: Any) -> dict[str, Any]:
    return {"key": key, "doc_count": count, **extra}


def test_facets_and_the_next_cursor() -> None:
    query = SearchQuery.model_validate(
        {
            "filters": [{"field": "brand", "values": ["Acme"]}],
            "facets": [
                {"field": "brand"},
                {"field": "in_stock"},
                {"field": "attributes.color"},
                {"field": "categories"},
            ],
            "sort": "price_asc",
            "paging": {"size": 1},
        }
    )
    color_values = {
        "buckets": [
            _bucket(
                "weiss",
                4,
                products={"doc_count": 3},
                raw={"buckets": [_bucket("weiß", 4)]},
            )
        ]
    }
    response = {
        "took": 3,
        "hits": {"total": {"value": 5}, "hits": [{"_source": SOURCE, "sort": [19.99, "ACME-1"]}]},
        "aggregations": {
            "facet_0": {"values": {"buckets": [_bucket("Acme", 5), _bucket("Other", 2)]}},
            "facet_1": {"values": {"buckets": [_bucket(1, 4, key_as_string="true")]}},
            "facet_2": {
                "kw": {"named": {"values": color_values}},
                "num": {
                    "named": {
                        "values": {"buckets": []},
                        "stats": {"count": 0, "min": None, "max": None, "avg": None, "sum": 0},
                    }
                },
            },
            "facet_3": {"lvl0": {"buckets": [_bucket("Handyzubehör", 5)]}},
        },
    }
    answer = search_response(query, response, None)
    assert answer.total == 5
    assert answer.page == 1
    assert answer.pages == 5
    brand = answer.facets["brand"].values
    assert [(v.value, v.count, v.selected) for v in brand] == [
        ("Acme", 5, True),
        ("Other", 2, False),
    ]
    assert answer.facets["in_stock"].values[0].value == "true"
    colour = answer.facets["attributes.color"]
    assert colour.kind == "terms"
    assert [(v.value, v.count) for v in colour.values] == [("weiß", 3)]
    assert answer.facets["categories"].levels[0][0].label == "Handyzubehör"
    assert answer.next_cursor is not None
    assert decode_cursor(answer.next_cursor, "price_asc")[1] == [19.99, "ACME-1"]


def test_pages_stop_at_the_result_window() -> None:
    assert pages_reachable(25, 10) == 3
    assert pages_reachable(50_000, 100) == 100
    assert pages_reachable(10, 0) == 0
