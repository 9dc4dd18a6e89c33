"""Errors in Algolia's shape on `/1/`, CORS for browsers; the native API keeps its own shapes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.read_api.conftest import Catalog


@pytest.mark.parametrize(
    ("path", "body", "status", "starts"),
    [
        ("/1/indexes/products/query", {"hitsPerPage": 1000}, 400, "Invalid value for hitsPerPage"),
        ("/1/indexes/products/query", {"page": "two"}, 400, "Invalid value for page"),
        ("/1/indexes/products/query", {"page": 9999}, 400, "page:"),
        ("/1/indexes/products/query", {"filters": "brand:Hama AND ("}, 400, "filters: "),
        ("/1/indexes/products/query", {"facetFilters": ["nope:x"]}, 400, "filters: "),
        ("/1/indexes/products/query", {"numericFilters": ["price > x"]}, 400, "filters: "),
        ("/1/indexes/products/query", {"params": "hitsPerPage=-1"}, 400, "Invalid value"),
        ("/1/indexes/products/query", {"params": 5}, 400, "Invalid value for params"),
        ("/1/indexes/orders/query", {}, 404, "Index does not exist"),
        ("/1/indexes/*/queries", {"requests": [{"query": "x"}]}, 400, "Invalid value for requests"),
        ("/1/indexes/*/queries", {"requests": "x"}, 400, "Invalid value for requests"),
        ("/1/indexes/*/queries", {"requests": [{"indexName": "x"}]}, 404, "Index does not exist"),
        ("/1/indexes/products/facets/price/query", {}, 400, "Cannot search in `price`"),
        ("/1/indexes/products/facets/nope/query", {}, 400, "Cannot search in `nope`"),
    ],
)
def test_bad_requests_are_algolia_shaped(
    read_api: httpx.Client, catalog: Catalog, path: str, body: Any, status: int, starts: str
) -> None:
    response = read_api.post(path, json=body)
    assert response.status_code == status, response.text
    answer = response.json()
    assert set(answer) == {"message", "status"}
    assert answer["status"] == status
    assert answer["message"].startswith(starts), answer


def test_bodies_that_are_not_json_objects(read_api: httpx.Client, catalog: Catalog) -> None:
    for content in (b"{nope", b"[1, 2]", b'"text"'):
        response = read_api.post("/1/indexes/products/query", content=content)
        assert response.status_code == 400
        assert response.json()["status"] == 400
    empty = read_api.post("/1/indexes/products/query", content=b"")
    assert empty.status_code == 200  # no parameters: every product


def test_unknown_paths_and_methods_are_algolia_shaped(read_api: httpx.Client) -> None:
    assert read_api.get("/1/nothing/here").json() == {"message": "Not Found", "status": 404}
    wrong = read_api.delete("/1/indexes/products/query")
    assert wrong.status_code == 405
    assert wrong.json() == {"message": "Method Not Allowed", "status": 405}


def test_the_native_api_keeps_its_422(read_api: httpx.Client) -> None:
    response = read_api.get("/v1/search", params={"page": 0})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


def test_browsers_may_call_from_any_origin(read_api: httpx.Client, catalog: Catalog) -> None:
    preflight = read_api.options(
        "/1/indexes/*/queries",
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-algolia-api-key, x-algolia-agent, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "x-algolia-api-key" in allowed
    assert "content-type" in allowed
    search = read_api.post(
        "/1/indexes/products/query?x-algolia-api-key=public&x-algolia-application-id=shop",
        json={"hitsPerPage": 0},
        headers={"Origin": "https://shop.example"},
    )
    assert search.status_code == 200
    assert search.headers["access-control-allow-origin"] == "*"
    native = read_api.get("/v1/search", headers={"Origin": "https://shop.example"})
    assert "access-control-allow-origin" not in native.headers


def test_a_body_over_the_limit_is_413(read_api: httpx.Client) -> None:
    response = read_api.post("/1/indexes/products/query", content=b" " * 1_000_001)
    assert response.status_code == 413
    assert response.json()["status"] == 413
