"""Algolia parameters: both shapes clients send, lists in either spelling, 400s naming the field."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from read_api.algolia.errors import AlgoliaError
from read_api.algolia.params import parse_params, request_params

RESERVED = frozenset({"indexName", "type", "facet"})


def test_params_string_and_top_level_fields_give_the_same_parameters() -> None:
    fields = {
        "query": "hülle",
        "hitsPerPage": 5,
        "page": 2,
        "facets": ["brand", "price"],
        "facetFilters": [["brand:Hama", "brand:Spigen"], "in_stock:true"],
        "clickAnalytics": True,
        "highlightPreTag": "__ais-highlight__",
    }
    encoded = urlencode(
        {
            "query": "hülle",
            "hitsPerPage": "5",
            "page": "2",
            "facets": '["brand","price"]',
            "facetFilters": '[["brand:Hama","brand:Spigen"],"in_stock:true"]',
            "clickAnalytics": "true",
            "highlightPreTag": "__ais-highlight__",
        }
    )
    top, _ = request_params(fields)
    string, echo = request_params({"params": encoded})
    assert top == string
    assert top.facet_filters == [["brand:Hama", "brand:Spigen"], "in_stock:true"]
    assert top.hits_per_page == 5
    assert top.click_analytics is True
    assert echo == encoded


def test_the_params_string_wins_over_a_top_level_field_of_the_same_name() -> None:
    params, echo = request_params({"query": "a", "hitsPerPage": 3, "params": "query=b"})
    assert params.query == "b"
    assert params.hits_per_page == 3
    assert echo == "query=a&hitsPerPage=3&query=b"


def test_lists_may_be_comma_separated_and_filters_plain_strings() -> None:
    params = parse_params(
        {"facets": "brand, price", "attributesToRetrieve": "title", "numericFilters": "price>10"}
    )
    assert params.facets == ["brand", "price"]
    assert params.attributes_to_retrieve == ["title"]
    assert params.numeric_filters == "price>10"


def test_unknown_and_unused_parameters_are_ignored() -> None:
    params, _ = request_params(
        {"params": "analytics=false&getRankingInfo=true&tagFilters=%5B%5D&ruleContexts=x&zzz=1"}
    )
    assert params.analytics is False
    assert params.query == ""
    assert params.hits_per_page == 20
    assert params.page == 0


def test_reserved_fields_of_a_multi_query_request_are_not_echoed() -> None:
    _, echo = request_params({"indexName": "products", "query": "x"}, RESERVED)
    assert echo == "query=x"


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"hitsPerPage": 1000}, "hitsPerPage"),
        ({"hitsPerPage": "many"}, "hitsPerPage"),
        ({"page": -1}, "page"),
        ({"params": "page=x"}, "page"),
        ({"maxValuesPerFacet": 0}, "maxValuesPerFacet"),
        ({"query": 5}, "query"),
        ({"typoTolerance": "sometimes"}, "typoTolerance"),
        ({"highlightPreTag": "x" * 65}, "highlightPreTag"),
    ],
)
def test_bad_values_are_400s_naming_the_parameter(fields: dict[str, object], named: str) -> None:
    with pytest.raises(AlgoliaError) as caught:
        request_params(fields)
    assert caught.value.status == 400
    assert caught.value.message.startswith(f"Invalid value for {named}")


def test_params_is_a_string_or_an_object_of_fields() -> None:
    nested, echo = request_params({"hitsPerPage": 3, "params": {"query": "x", "page": 1}})
    assert (nested.query, nested.page, nested.hits_per_page) == ("x", 1, 3)
    assert echo == "hitsPerPage=3&query=x&page=1"
    with pytest.raises(AlgoliaError) as caught:
        request_params({"params": ["query=x"]})
    assert caught.value.status == 400


def test_typo_tolerance_takes_booleans_and_algolia_words() -> None:
    assert parse_params({"typoTolerance": "false"}).typo_tolerance is False
    assert parse_params({"typoTolerance": "min"}).typo_tolerance == "min"
    assert parse_params({}).typo_tolerance is True
