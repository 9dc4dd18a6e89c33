"""Multi-queries: one answer per request, equal to the single searches, facet requests too."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import orjson

from tests.e2e.algolia.conftest import in_dataset, without_timing
from tests.e2e.read_api.conftest import Catalog


def _single(client: httpx.Client, index: str, fields: dict[str, object]) -> dict[str, object]:
    response = client.post(f"/1/indexes/{index}/query", json=fields)
    assert response.status_code == 200, response.text
    return without_timing(response.json())


def test_a_multi_query_answers_as_the_single_searches(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    searches = [
        ("products", in_dataset({"query": "hülle", "hitsPerPage": 3, "facets": ["brand"]})),
        ("products_price_asc", in_dataset({"query": "kabel", "page": 2, "hitsPerPage": 5})),
        ("products_rating_desc", in_dataset({"facets": ["*"], "hitsPerPage": 0})),
    ]
    body = {
        "requests": [{"indexName": index, **fields} for index, fields in searches],
        "strategy": "none",
    }
    response = read_api.post("/1/indexes/*/queries", json=body)
    assert response.status_code == 200, response.text
    results = [without_timing(r) for r in response.json()["results"]]
    assert results == [_single(read_api, index, fields) for index, fields in searches]
    # the same requests with a `params` string each (InstantSearch with older clients)
    as_strings = {
        "requests": [
            {
                "indexName": index,
                "params": urlencode(
                    {
                        k: v if isinstance(v, str) else orjson.dumps(v).decode()
                        for k, v in fields.items()
                    }
                ),
            }
            for index, fields in searches
        ]
    }
    again = read_api.post("/1/indexes/*/queries", json=as_strings).json()["results"]
    assert [_unechoed(r) for r in again] == [_unechoed(r) for r in results]


def _unechoed(result: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in without_timing(result).items() if k != "params"}


def test_facet_requests_search_facet_values(read_api: httpx.Client, catalog: Catalog) -> None:
    # the shape algoliasearch v5 (and InstantSearch on it) sends for facet value search
    fields = in_dataset({"facetQuery": "ha", "query": "hülle", "maxFacetHits": 3})
    body = {
        "requests": [
            {"indexName": "products", "type": "facet", "facet": "brand", **fields},
            {"indexName": "products", "query": "hülle", "hitsPerPage": 1},
        ]
    }
    response = read_api.post("/1/indexes/*/queries", json=body)
    assert response.status_code == 200, response.text
    facet_result, hits_result = response.json()["results"]
    alone = read_api.post("/1/indexes/products/facets/brand/query", json=fields).json()
    assert facet_result["facetHits"] == alone["facetHits"]
    assert any(hit["value"] == "Hama" for hit in facet_result["facetHits"])
    assert len(facet_result["facetHits"]) <= 3
    assert "hits" in hits_result


def test_an_empty_multi_query_has_no_results(read_api: httpx.Client, catalog: Catalog) -> None:
    response = read_api.post("/1/indexes/*/queries", json={"requests": []})
    assert response.status_code == 200
    assert response.json() == {"results": []}
