"""Alternatives across fields (`{"any": [...]}` in `POST /v1/search`) against the running stack.

Expected totals and facet counts are computed from the products as written,
independently of the query builders.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.e2e.read_api.conftest import DATASET, Catalog

Product = dict[str, Any]
IN_DATASET = {"field": "attributes.dataset", "values": [DATASET]}


def _post(client: httpx.Client, filters: list[dict[str, Any]], **body: Any) -> dict[str, Any]:
    response = client.post("/v1/search", json={"filters": [IN_DATASET, *filters], **body})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _brands(catalog: Catalog) -> list[str]:
    counts = Counter(p["brand"] for p in catalog.active if p.get("brand"))
    return [brand for brand, _ in counts.most_common()]


def _matching(catalog: Catalog, test: Callable[[Product], bool]) -> list[Product]:
    return [p for p in catalog.active if test(p)]


def test_either_a_brand_or_a_price_holds(read_api: httpx.Client, catalog: Catalog) -> None:
    brand = _brands(catalog)[0]
    either = {"any": [{"field": "brand", "values": [brand]}, {"field": "price", "lt": 15}]}
    expected = _matching(catalog, lambda p: p.get("brand") == brand or p["price"] < 15)
    answer = _post(read_api, [either], page_size=100)
    assert answer["total"] == len(expected)
    # more than either side alone: a real OR across fields, not the first alternative only
    assert answer["total"] > len(_matching(catalog, lambda p: p.get("brand") == brand))
    assert answer["total"] > len(_matching(catalog, lambda p: p["price"] < 15))
    wanted = {p["id"] for p in expected}
    assert {hit["id"] for hit in answer["hits"]} <= wanted


def test_two_alternatives_must_both_hold(read_api: httpx.Client, catalog: Catalog) -> None:
    first, second = _brands(catalog)[:2]
    brand_or_cheap = {"any": [{"field": "brand", "values": [first]}, {"field": "price", "lt": 15}]}
    brand_or_stock = {
        "any": [{"field": "brand", "values": [second]}, {"field": "in_stock", "values": [True]}]
    }
    expected = _matching(
        catalog,
        lambda p: (
            (p.get("brand") == first or p["price"] < 15)
            and (p.get("brand") == second or p["stock"] > 0)
        ),
    )
    assert expected
    assert _post(read_api, [brand_or_cheap, brand_or_stock])["total"] == len(expected)


def test_an_excluded_alternative_holds_where_the_value_is_absent(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    brand = _brands(catalog)[0]
    either = {
        "any": [
            {"field": "brand", "values": [brand]},
            {"field": "in_stock", "values": [True], "exclude": True},
        ]
    }
    expected = _matching(catalog, lambda p: p.get("brand") == brand or p["stock"] == 0)
    assert 0 < len(expected) < len(catalog.active)
    assert _post(read_api, [either])["total"] == len(expected)


def test_facets_count_under_alternatives_across_fields(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    brand = _brands(catalog)[0]
    either = {"any": [{"field": "brand", "values": [brand]}, {"field": "price", "lt": 15}]}
    answer = _post(read_api, [either], page_size=0, facets=[{"field": "brand", "size": 100}])
    expected = Counter(
        p["brand"]
        for p in _matching(catalog, lambda p: p.get("brand") == brand or p["price"] < 15)
        if p.get("brand")
    )
    counted = {v["value"]: v["count"] for v in answer["facets"]["brand"]["values"]}
    # not ignored by the brand facet: other brands count only their cheap products
    assert counted == dict(expected)


def test_alternatives_of_one_field_are_ignored_by_its_own_facet(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    first, second = _brands(catalog)[:2]
    either_brand = {
        "any": [
            {"field": "brand", "values": [first]},
            {"field": "brand", "values": [second]},
        ]
    }
    answer = _post(read_api, [either_brand], page_size=0, facets=[{"field": "brand", "size": 100}])
    chosen = _matching(catalog, lambda p: p.get("brand") in (first, second))
    assert answer["total"] == len(chosen)
    counted = {v["value"]: v["count"] for v in answer["facets"]["brand"]["values"]}
    everything = Counter(p["brand"] for p in catalog.active if p.get("brand"))
    assert counted == dict(everything)  # disjunctive: every brand, as if none were chosen
    selected = {v["value"] for v in answer["facets"]["brand"]["values"] if v["selected"]}
    assert selected == {first, second}


def _algolia_hits(client: httpx.Client, **params: Any) -> int:
    response = client.post("/1/indexes/products/query", json={"hitsPerPage": 0, **params})
    assert response.status_code == 200, response.text
    return int(response.json()["nbHits"])


def test_the_algolia_filter_languages_reach_elasticsearch(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    first, second = _brands(catalog)[:2]
    in_dataset = f"attributes.dataset:{DATASET}"
    either = f"{in_dataset} AND (brand:{first} OR price < 15) AND NOT in_stock:false"
    expected = _matching(
        catalog, lambda p: (p.get("brand") == first or p["price"] < 15) and p["stock"] > 0
    )
    assert _algolia_hits(read_api, filters=either) == len(expected)
    # facetFilters OR inside, numericFilters ANDed on one field: a range, not alternatives
    between = _matching(
        catalog, lambda p: p.get("brand") in (first, second) and 10 <= p["price"] <= 20
    )
    hits = _algolia_hits(
        read_api,
        facetFilters=[[f"brand:{first}", f"brand:{second}"], in_dataset],
        numericFilters=["price>=10", "price<=20"],
    )
    assert hits == len(between)


@pytest.mark.parametrize(
    "bad",
    [
        {"any": []},
        {"any": [{"any": [{"field": "brand", "values": ["x"]}]}]},
        {"any": [{"field": "colour", "values": ["x"]}]},
        {"any": [{"field": "price", "values": ["cheap"]}]},
        {"any": [{"field": "brand", "values": ["x"]}], "exclude": True},
    ],
    ids=["empty", "nested", "unknown-field", "bad-value", "no-exclude"],
)
def test_malformed_alternatives_are_client_errors(
    read_api: httpx.Client, catalog: Catalog, bad: dict[str, Any]
) -> None:
    response = read_api.post("/v1/search", json={"filters": [IN_DATASET, bad]})
    assert response.status_code == 422, response.text
