"""Listings, product detail and autocomplete over HTTP."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.read_api.conftest import IN_DATASET, Catalog, search

CABLES = "Handyzubehör > Kabel"


def _get(client: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_listing_by_path_or_parameter_equals_the_filtered_search(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    by_path = _get(read_api, "/v1/categories/Handyzubehör/Kabel", filter=IN_DATASET, page_size=50)
    by_param = _get(read_api, "/v1/listing", category=CABLES, filter=IN_DATASET, page_size=50)
    filtered = search(read_api, filter=f"categories:{CABLES}", page_size=50)
    assert by_path["total"] == by_param["total"] == filtered["total"] > 0
    assert [h["id"] for h in by_path["hits"]] == [h["id"] for h in filtered["hits"]]
    for hit in by_path["hits"]:
        assert any(path[:2] == ["Handyzubehör", "Kabel"] for path in hit["categories"])


def test_a_listing_facets_stay_inside_its_category(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    answer = _get(
        read_api,
        "/v1/listing",
        category=CABLES,
        filter=[IN_DATASET, "attributes.connector:USB-C"],
        facets="categories,attributes.connector",
        page_size=0,
    )
    levels = answer["facets"]["categories"]["levels"]
    assert [v["value"] for v in levels[1] if v["selected"]] == [CABLES]
    children = levels[2]
    assert children
    assert all(v["value"].startswith(CABLES + " > ") for v in children)
    for child in children:
        inside = _get(
            read_api,
            "/v1/listing",
            category=child["value"],
            filter=[IN_DATASET, "attributes.connector:USB-C"],
            page_size=0,
        )
        assert inside["total"] == child["count"]
    connectors = {
        v["value"]: v["count"] for v in answer["facets"]["attributes.connector"]["values"]
    }
    everything = _get(read_api, "/v1/listing", category=CABLES, filter=IN_DATASET, page_size=0)
    assert connectors["USB-C"] <= everything["total"]


def test_product_detail_shows_active_products_only(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    active = catalog.with_status("active")
    got = _get(read_api, f"/v1/products/{active['id']}")
    assert got["title"] == active["title"]
    assert got["price"] == active["price"]
    assert "status" not in got
    assert "attrs_kw" not in got
    for status in ("draft", "archived"):
        hidden = catalog.with_status(status)
        assert read_api.get(f"/v1/products/{hidden['id']}").status_code == 404
    assert read_api.get("/v1/products/RA-NO-SUCH-PRODUCT").status_code == 404
    assert read_api.get("/v1/products/bad%20id").status_code == 422


def test_autocomplete_suggests_products_queries_and_categories(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    answer = _get(read_api, "/v1/autocomplete", q="hülle iph")
    assert answer["products"]
    for product in answer["products"]:
        title = product["title"].lower()
        assert "iph" in title
        assert "ülle" in title
        assert "<em>" in product["highlights"]["title"]
    assert answer["completions"]
    for completion in answer["completions"]:
        assert completion["text"].startswith("hülle ")
        assert completion["text"].split(" ", 1)[1].lower().startswith("iph")
        assert completion["count"] > 0
    assert any("iPhone Hüllen" in c["path"] for c in answer["categories"])


def test_autocomplete_completes_brands_and_tolerates_typos(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    brands = _get(read_api, "/v1/autocomplete", q="spig")
    assert "Spigen" in [c["text"] for c in brands["completions"]]
    assert all(p["brand"] == "Spigen" for p in brands["products"])
    typo = _get(read_api, "/v1/autocomplete", q="otterbix")
    assert typo["products"]
    assert all(p["brand"] == "OtterBox" for p in typo["products"])
