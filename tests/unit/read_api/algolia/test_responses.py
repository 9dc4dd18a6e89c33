"""Algolia answers shaped from Elasticsearch responses (plain dicts, no services)."""

from __future__ import annotations

from typing import Any

from read_api.algolia.params import parse_params
from read_api.algolia.responses import facet_hits_result, finished, hits_result
from read_api.query.model import FacetRequest, Highlight, Paging, SearchQuery

SOURCE = {
    "id": "A-1",
    "title": "USB Kabel",
    "category_paths": ["Kabel"],
    "price": 23.99,
    "effective_price": 23.99,
    "on_sale": False,
    "stock": 2,
    "in_stock": True,
    "attributes": {},
}


def _response(total: int, aggs: dict[str, Any] | None = None) -> dict[str, Any]:
    hit = {"_source": SOURCE, "highlight": {"title": ["USB <em>Kabel</em>"]}}
    response: dict[str, Any] = {"hits": {"total": {"value": total}, "hits": [hit]}, "took": 3}
    if aggs is not None:
        response["aggregations"] = aggs
    return response


def _query(**fields: Any) -> SearchQuery:
    return SearchQuery(text="kabel", **fields)


def test_hits_paging_facets_and_stats() -> None:
    query = _query(
        facets=[FacetRequest(field="brand"), FacetRequest(field="price")],
        paging=Paging(offset=20, size=10),
    )
    aggs = {
        "facet_0": {"values": {"buckets": [{"key": "Hama", "doc_count": 7}]}},
        "facet_1": {
            "stats": {"count": 7, "min": 1.5, "max": 23.99, "avg": 10.0, "sum": 70.0},
            "values": {"buckets": [{"key": 23.990000000000002, "doc_count": 4}]},
        },
    }
    result = hits_result(query, parse_params({}), _response(95, aggs))
    assert result["nbHits"] == 95
    assert result["page"] == 2
    assert result["nbPages"] == 10
    assert result["hitsPerPage"] == 10
    assert result["facets"] == {"brand": {"Hama": 7}, "price": {"23.99": 4}}
    assert result["facets_stats"] == {"price": {"min": 1.5, "max": 23.99, "avg": 10.0, "sum": 70.0}}
    assert result["exhaustiveNbHits"] is True
    assert result["exhaustive"] == {"nbHits": True, "facetsCount": True, "typo": True}
    hit = result["hits"][0]
    assert hit["objectID"] == "A-1"
    assert hit["_highlightResult"]["title"]["value"] == "USB <em>Kabel</em>"
    assert hit["_highlightResult"]["title"]["matchLevel"] == "full"
    assert "offset" not in result


def test_offset_and_length_are_echoed_and_no_highlighting_without_tags_asked() -> None:
    query = _query(paging=Paging(offset=5, size=3), highlight=Highlight(enabled=False))
    params = parse_params({"offset": 5, "length": 3, "attributesToHighlight": []})
    result = hits_result(query, params, _response(4))
    assert (result["offset"], result["length"]) == (5, 3)
    assert "_highlightResult" not in result["hits"][0]
    assert result["facets"] == {}
    assert result["facets_stats"] == {}


def test_sort_facet_values_alphabetically() -> None:
    query = _query(facets=[FacetRequest(field="brand")])
    aggs = {
        "facet_0": {
            "values": {
                "buckets": [{"key": "Zagg", "doc_count": 9}, {"key": "Acme", "doc_count": 1}]
            }
        }
    }
    alpha = hits_result(query, parse_params({"sortFacetValuesBy": "alpha"}), _response(10, aggs))
    assert list(alpha["facets"]["brand"]) == ["Acme", "Zagg"]


def test_finished_adds_what_belongs_to_one_response() -> None:
    shared = {"hits": [], "nbHits": 0}
    answer = finished(
        shared, index="products_newest", params="query=x", took_ms=4, query_id="a" * 32
    )
    assert answer == {
        "hits": [],
        "nbHits": 0,
        "processingTimeMS": 4,
        "index": "products_newest",
        "params": "query=x",
        "queryID": "a" * 32,
    }
    assert "queryID" not in finished(shared, index=None, params=None, took_ms=0, query_id=None)
    assert shared == {"hits": [], "nbHits": 0}


def test_facet_hits_are_unescaped_with_the_tags_asked_for() -> None:
    query = SearchQuery(highlight=Highlight(pre_tag="<b>", post_tag="</b>"))
    params = parse_params({"facetQuery": "b&", "maxFacetHits": 5})
    response = {
        "aggregations": {
            "values": {
                "buckets": [{"key": "B&O", "doc_count": 3}, {"key": "Belkin", "doc_count": 9}]
            }
        }
    }
    result = facet_hits_result(query, "brand", params, response)
    assert result == {
        "facetHits": [{"value": "B&O", "highlighted": "<b>B&</b>O", "count": 3}],
        "exhaustiveFacetsCount": True,
    }


def test_by_default_only_retrieved_attributes_are_highlighted() -> None:
    params = parse_params({"attributesToRetrieve": ["title"]})
    hit = hits_result(_query(), params, _response(1))["hits"][0]
    assert set(hit) == {"objectID", "title", "_highlightResult"}
    assert set(hit["_highlightResult"]) == {"title"}
