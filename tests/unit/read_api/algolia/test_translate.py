"""Algolia parameters to the internal query: index sorts, paging, facets, filters, bounds."""

from __future__ import annotations

from typing import Any

import pytest

from read_api.algolia.errors import AlgoliaError
from read_api.algolia.params import parse_params, request_params
from read_api.algolia.translate import ALL_FACETS, search_query
from read_api.query.model import AnyOf, RangeFilter, SearchQuery, TermsFilter


def _query(index: str = "products", **fields: Any) -> SearchQuery:
    return search_query(parse_params(fields), index)


@pytest.mark.parametrize(
    ("index", "sort"),
    [
        ("products", "relevance"),
        ("products_price_asc", "price_asc"),
        ("products_price_desc", "price_desc"),
        ("products_newest", "newest"),
        ("products_rating_desc", "rating"),
    ],
)
def test_each_replica_is_a_sort_order(index: str, sort: str) -> None:
    assert _query(index).sort == sort


def test_an_unknown_index_is_404() -> None:
    with pytest.raises(AlgoliaError) as caught:
        _query("orders")
    assert (caught.value.status, caught.value.message) == (404, "Index does not exist")


def test_pages_are_0_based_and_offset_length_win() -> None:
    assert _query(page=3, hitsPerPage=7).paging.model_dump() == {
        "offset": 21,
        "size": 7,
        "after": None,
    }
    assert _query(page=3, offset=4, length=2).paging.offset == 4
    assert _query(page=3, offset=4, length=2).paging.size == 2
    with pytest.raises(AlgoliaError) as caught:
        _query(page=500, hitsPerPage=20)
    assert caught.value.status == 400


def test_facets_star_unknown_names_and_the_limit() -> None:
    everything = [f.field for f in _query(facets=["*"]).facets]
    assert everything == list(ALL_FACETS)
    assert "categories.lvl0" in everything
    assert "categories" not in everything  # the native hierarchical facet has no Algolia name
    named = _query(facets=["brand", "title", "nope", "attributes.color"], maxValuesPerFacet=5)
    assert [(f.field, f.size) for f in named.facets] == [("brand", 5), ("attributes.color", 5)]
    with pytest.raises(AlgoliaError) as caught:
        _query(facets=[f"attributes.a{i}" for i in range(21)])
    assert caught.value.status == 400


def test_the_three_filter_parameters_all_hold() -> None:
    query = _query(
        facetFilters=[["brand:Hama", "brand:Spigen"]],
        numericFilters=["price>=10"],
        filters="brand:Hama",
    )
    assert query.filters[0] == TermsFilter(field="brand", values=["Hama", "Spigen"])
    assert query.filters[1] == RangeFilter(field="price", gte=10.0)
    # the same field in another parameter is required too, not an alternative
    assert query.filters[2] == AnyOf(any=[TermsFilter(field="brand", values=["Hama"])])


def test_a_bad_filter_is_a_400_with_its_column() -> None:
    with pytest.raises(AlgoliaError) as caught:
        _query(filters="brand:Hama AND (price > 3")
    assert caught.value.status == 400
    assert caught.value.message.startswith("filters: ")
    assert " at col " in caught.value.message


def test_highlighting_tags_and_typo_tolerance() -> None:
    query = _query(
        highlightPreTag="__ais-highlight__",
        highlightPostTag="__/ais-highlight__",
        typoTolerance="false",
    )
    assert query.highlight.pre_tag == "__ais-highlight__"
    assert query.highlight.enabled
    assert query.typo_tolerance is False
    assert not _query(attributesToHighlight=[]).highlight.enabled
    assert _query(typoTolerance="min").typo_tolerance is True


@pytest.mark.parametrize(
    ("fields", "size", "facets"),
    [
        ({}, 0, False),
        ({"distinct": True}, 1, False),
        ({"distinct": False}, 0, False),
        ({"distinct": 3, "facetingAfterDistinct": True}, 3, True),
        ({"params": "distinct=true&facetingAfterDistinct=true"}, 1, True),
        ({"params": "distinct=2"}, 2, False),
    ],
)
def test_distinct_groups_variants_as_algolia_clients_send_it(
    fields: dict[str, Any], size: int, facets: bool
) -> None:
    query = search_query(request_params(fields)[0], "products")
    assert (query.grouping.size, query.grouping.facets) == (size, facets)


@pytest.mark.parametrize("value", [5, -1, "many"])
def test_distinct_outside_0_to_4_is_a_400(value: Any) -> None:
    with pytest.raises(AlgoliaError) as raised:
        _query(distinct=value)
    assert raised.value.status == 400
    assert "distinct" in raised.value.message
