"""Bad input is a 4xx naming the parameter; never a 500."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.read_api.conftest import Catalog


@pytest.mark.parametrize(
    ("path", "params", "loc"),
    [
        ("/v1/search", {"q": "x" * 513}, ["query", "q"]),
        ("/v1/search", {"page_size": 101}, ["query", "page_size"]),
        ("/v1/search", {"page": 0}, ["query", "page"]),
        ("/v1/search", {"page": 201, "page_size": 50}, ["query", "page"]),
        ("/v1/search", {"sort": "cheapest"}, ["query", "sort"]),
        ("/v1/search", {"filter": ["brand:Hama", "nope:1"]}, ["query", "filter", 1]),
        ("/v1/search", {"filter": "price:cheap"}, ["query", "filter", 0]),
        ("/v1/search", {"filter": "status:draft"}, ["query", "filter", 0]),
        ("/v1/search", {"facets": "brand,description"}, ["query", "facets", 1]),
        (
            "/v1/search",
            {"facets": ",".join(f"attributes.a{i}" for i in range(21))},
            ["query", "facets"],
        ),
        ("/v1/search", {"facet_size": 101}, ["query", "facet_size"]),
        ("/v1/search", {"cursor": "bm90IGEgY3Vyc29y"}, ["query", "cursor"]),
        ("/v1/search", {"category": "A > B > C > D > E > F > G"}, ["query", "category"]),
        ("/v1/autocomplete", {"q": ""}, ["query", "q"]),
        ("/v1/facets/price/values", {"q": "1"}, ["path", "facet"]),
        ("/v1/facets/attributes.Bad/values", {}, ["path", "facet"]),
    ],
)
def test_bad_parameters_are_422_with_their_place(
    read_api: httpx.Client,
    catalog: Catalog,
    path: str,
    params: dict[str, object],
    loc: list[object],
) -> None:
    response = read_api.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == loc


def test_a_bad_json_body_names_the_field(read_api: httpx.Client, catalog: Catalog) -> None:
    response = read_api.post(
        "/v1/search", json={"q": "x", "filters": [{"field": "price", "values": ["cheap"]}]}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:3] == ["body", "filters", 0]
    response = read_api.post("/v1/search", json={"q": "x", "unknown": 1})
    assert response.status_code == 422


@pytest.mark.parametrize(
    "q",
    ['"', "\\", "(", "a AND OR b", "*", "?", "[x", "~1", "/regex/", "ü" * 100, "\u0000"],
)
def test_odd_text_is_searched_not_parsed(read_api: httpx.Client, catalog: Catalog, q: str) -> None:
    for path in ("/v1/search", "/v1/autocomplete"):
        assert read_api.get(path, params={"q": q}).status_code == 200
    response = read_api.get("/v1/facets/brand/values", params={"q": q[:100]})
    assert response.status_code == 200


def test_the_openapi_schema_documents_every_search_route(read_api: httpx.Client) -> None:
    paths = read_api.get("/openapi.json").json()["paths"]
    for path in (
        "/v1/search",
        "/v1/listing",
        "/v1/categories/{path}",
        "/v1/products/{product_id}",
        "/v1/autocomplete",
        "/v1/facets/{facet}/values",
    ):
        get = paths[path]["get"]
        assert "$ref" in str(get["responses"]["200"]), path
        assert {"422", "503"} <= set(get["responses"]), path
