"""The search body for the Algolia protocol: conjunctive facets, numeric values, raw highlights."""

from __future__ import annotations

from read_api.query.builder import search_body
from read_api.query.facet_values import facet_values_body
from read_api.query.model import FacetRequest, RangeFilter, SearchQuery, TermsFilter

QUERY = SearchQuery(
    text="hülle",
    filters=[
        TermsFilter(field="brand", values=["Hama", "Spigen"]),
        RangeFilter(field="price", gte=10.0),
    ],
    facets=[FacetRequest(field="brand", size=7), FacetRequest(field="price")],
)


def test_algolia_facets_count_under_every_filter() -> None:
    body = search_body(QUERY, "algolia")
    assert "post_filter" not in body
    text = str(body["query"])
    assert "Spigen" in text
    assert "'gte': 10.0" in text
    for agg in body["aggs"].values():
        assert agg["filter"] == {"match_all": {}}


def test_native_facets_stay_disjunctive() -> None:
    body = search_body(QUERY)
    assert "post_filter" in body
    assert body["aggs"]["facet_0"]["filter"] != {"match_all": {}}


def test_algolia_numeric_facets_count_values_and_keep_stats() -> None:
    price = search_body(QUERY, "algolia")["aggs"]["facet_1"]["aggs"]
    assert price["values"] == {"terms": {"field": "price", "size": 10}}
    assert "stats" in price
    assert "ranges" not in price
    assert search_body(QUERY, "algolia")["aggs"]["facet_0"]["aggs"]["values"]["terms"]["size"] == 7


def test_algolia_highlights_whole_fields_unescaped() -> None:
    highlight = search_body(QUERY, "algolia")["highlight"]
    assert highlight["encoder"] == "default"
    assert highlight["fields"]["description"] == {"number_of_fragments": 0}
    assert search_body(QUERY)["highlight"]["encoder"] == "html"


def test_facet_value_search_keeps_the_facets_own_filters_when_asked() -> None:
    disjunctive = str(facet_values_body(QUERY, "brand", "sp", 10)["query"])
    conjunctive = str(facet_values_body(QUERY, "brand", "sp", 10, disjunctive=False)["query"])
    assert "Spigen" not in disjunctive
    assert "Spigen" in conjunctive
