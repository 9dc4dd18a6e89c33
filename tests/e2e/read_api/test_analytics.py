"""Analytics over HTTP: catalog numbers equal MongoDB's, logged searches reach the roll-up.

Catalog analytics are scoped to this module's data set (an attribute filter),
so products other tests write do not disturb the numbers; MongoDB's side is a
plain Python loop over the stored products.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import httpx
import pytest

from catalog.clients import Clients
from catalog.products.storage import PRODUCTS
from catalog.settings import Settings
from read_api.query.prefixes import fold
from tests.e2e.conftest import Keys, api_url
from tests.e2e.read_api.conftest import DATASET, IN_DATASET, Catalog
from tests.stack import wait_for

Product = dict[str, Any]
ROLLUP_DEADLINE_S = 120.0
_FIELDS = ("price", "stock", "brand", "categories", "attributes", "status", "deleted_at")


def _stored_products(settings: Settings) -> list[Product]:
    """The data set's live, active products as MongoDB holds them."""

    async def run() -> list[Product]:
        # FerretDB scans the collection for this query: allow it more than a point read
        patient = settings.model_copy(update={"dependency_timeout_s": 12.0})
        clients = Clients.from_settings(patient)
        try:
            cursor = clients.db[PRODUCTS].find({"attributes.dataset": DATASET}, _FIELDS)
            return [doc async for doc in cursor]
        finally:
            await clients.close()

    stored = asyncio.run(run())
    return [
        p for p in stored if p.get("deleted_at") is None and p.get("status", "active") == "active"
    ]


@pytest.fixture(scope="module")
def stored(settings: Settings, catalog: Catalog) -> list[Product]:
    """The products the analytics must count."""
    products = _stored_products(settings)
    assert len(products) == len(catalog.active)
    return products


def _cents(value: float) -> int:
    return round(value * 100)


def _expected(products: list[Product]) -> dict[str, Any]:
    """What the metrics of these products must be, computed exactly in cents."""
    prices = [p["price"] for p in products]
    out_of_stock = sum(1 for p in products if p.get("stock", 0) == 0)
    return {
        "products": len(products),
        "min": min(prices),
        "max": max(prices),
        "sum_cents": sum(_cents(price) for price in prices),
        "stock_units": sum(p.get("stock", 0) for p in products),
        "stock_value_cents": sum(_cents(p["price"]) * p.get("stock", 0) for p in products),
        "out_of_stock": out_of_stock,
        "out_of_stock_share": out_of_stock / len(products),
    }


def _assert_metrics(answer: dict[str, Any], products: list[Product], what: object) -> None:
    expected = _expected(products)
    assert answer["products"] == expected["products"], what
    assert answer["price"]["min"] == expected["min"], what
    assert answer["price"]["max"] == expected["max"], what
    assert _cents(answer["price"]["sum"]) == expected["sum_cents"], what
    assert answer["price"]["avg"] == pytest.approx(expected["sum_cents"] / len(products) / 100)
    assert answer["stock_units"] == expected["stock_units"], what
    assert _cents(answer["stock_value"]) == expected["stock_value_cents"], what
    assert answer["out_of_stock"] == expected["out_of_stock"], what
    assert answer["out_of_stock_share"] == pytest.approx(expected["out_of_stock_share"]), what


def _get(client: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _by_value(
    products: list[Product], values: Callable[[Product], Iterable[str]]
) -> dict[str, list[Product]]:
    groups: dict[str, list[Product]] = defaultdict(list)
    for product in products:
        for value in set(values(product)):
            groups[value].append(product)
    return groups


def test_catalog_summary_equals_mongodb(analyst: httpx.Client, stored: list[Product]) -> None:
    answer = _get(analyst, "/v1/analytics/catalog", filter=IN_DATASET)
    assert answer["price_field"] == "price"
    _assert_metrics(answer, stored, "summary")


def test_category_scope_and_filters_narrow_the_summary(
    analyst: httpx.Client, stored: list[Product]
) -> None:
    category = "Handyzubehör > Hüllen"
    inside = [
        p
        for p in stored
        if any(entry["path"][:2] == category.split(" > ") for entry in p["categories"])
    ]
    answer = _get(analyst, "/v1/analytics/catalog", filter=IN_DATASET, category=category)
    _assert_metrics(answer, inside, category)
    spigen = [p for p in stored if p.get("brand") == "Spigen"]
    answer = _get(analyst, "/v1/analytics/catalog", filter=[IN_DATASET, "brand:Spigen"])
    _assert_metrics(answer, spigen, "Spigen")


def test_groups_by_brand_equal_mongodb(analyst: httpx.Client, stored: list[Product]) -> None:
    answer = _get(analyst, "/v1/analytics/catalog/groups", by="brand", size=100, filter=IN_DATASET)
    expected = _by_value(stored, lambda p: [p["brand"]] if p.get("brand") else [])
    assert answer["products"] == len(stored)
    assert answer["other_count"] == 0
    assert {g["value"] for g in answer["groups"]} == set(expected)
    counts = [g["products"] for g in answer["groups"]]
    assert counts == sorted(counts, reverse=True)
    for group in answer["groups"]:
        _assert_metrics(group, expected[group["value"]], group["value"])


def test_groups_by_category_level_equal_mongodb(
    analyst: httpx.Client, stored: list[Product]
) -> None:
    answer = _get(
        analyst, "/v1/analytics/catalog/groups", by="categories.lvl1", size=100, filter=IN_DATASET
    )
    expected = _by_value(
        stored,
        lambda p: [" > ".join(e["path"][:2]) for e in p["categories"] if len(e["path"]) > 1],
    )
    assert {g["value"] for g in answer["groups"]} == set(expected)
    for group in answer["groups"]:
        _assert_metrics(group, expected[group["value"]], group["value"])


def _attribute_values(name: str) -> Callable[[Product], list[str]]:
    def values(product: Product) -> list[str]:
        value = product.get("attributes", {}).get(name)
        if value is None:
            return []
        if isinstance(value, list):
            return [str(v) for v in value]
        if isinstance(value, bool):
            return ["true" if value else "false"]
        return [str(value)]

    return values


@pytest.mark.parametrize("attribute", ["color", "connector", "power_w", "magsafe"])
def test_groups_by_attribute_equal_mongodb(
    analyst: httpx.Client, stored: list[Product], attribute: str
) -> None:
    answer = _get(
        analyst,
        "/v1/analytics/catalog/groups",
        by=f"attributes.{attribute}",
        size=100,
        filter=IN_DATASET,
    )
    expected = _by_value(stored, _attribute_values(attribute))
    assert answer["other_count"] == 0
    # keyword values are grouped folded (`weiß` is `weiss`) and labelled as written
    assert {g["label"] for g in answer["groups"]} == set(expected)
    for group in answer["groups"]:
        assert group["value"] == fold(group["label"])
        _assert_metrics(group, expected[group["label"]], group["label"])


def test_groups_are_bounded(analyst: httpx.Client, stored: list[Product]) -> None:
    answer = _get(analyst, "/v1/analytics/catalog/groups", by="brand", size=3, filter=IN_DATASET)
    brands = Counter(p["brand"] for p in stored if p.get("brand"))
    assert [g["products"] for g in answer["groups"]] == [n for _, n in brands.most_common(3)]
    assert answer["other_count"] == sum(brands.values()) - sum(
        g["products"] for g in answer["groups"]
    )


def test_price_histogram_equals_mongodb(analyst: httpx.Client, stored: list[Product]) -> None:
    interval = 25.0
    answer = _get(
        analyst, "/v1/analytics/catalog/price-histogram", interval=interval, filter=IN_DATASET
    )
    buckets: dict[float, list[Product]] = defaultdict(list)
    for product in stored:
        buckets[math.floor(product["price"] / interval) * interval].append(product)
    low, high = min(buckets), max(buckets)
    assert [b["gte"] for b in answer["buckets"]] == [
        low + i * interval for i in range(int((high - low) / interval) + 1)
    ]
    assert answer["products"] == len(stored)
    for bucket in answer["buckets"]:
        inside = buckets.get(bucket["gte"], [])
        assert bucket["lt"] == bucket["gte"] + interval
        assert bucket["products"] == len(inside), bucket
        value = sum(_cents(p["price"]) * p.get("stock", 0) for p in inside)
        assert _cents(bucket["stock_value"]) == value, bucket


def test_bad_analytics_input_is_422(analyst: httpx.Client, catalog: Catalog) -> None:
    cases: list[tuple[str, dict[str, Any], list[Any]]] = [
        ("/v1/analytics/catalog/price-histogram", {"interval": 0.01}, ["query", "interval"]),
        ("/v1/analytics/catalog/price-histogram", {"interval": 0.001}, ["query", "interval"]),
        ("/v1/analytics/catalog/groups", {"by": "price"}, ["query", "by"]),
        ("/v1/analytics/catalog/groups", {"by": "nonsense"}, ["query", "by"]),
        ("/v1/analytics/catalog", {"filter": "price:[x,1]"}, ["query", "filter", 0]),
        ("/v1/analytics/searches/top", {"period": "7 days"}, ["query", "period"]),
        (
            "/v1/analytics/searches/volume",
            {"period": "30d", "interval": "1s"},
            ["query", "interval"],
        ),
    ]
    for path, params, loc in cases:
        response = analyst.get(path, params={"filter": IN_DATASET, **params})
        assert response.status_code == 422, (path, params, response.text)
        assert response.json()["detail"][0]["loc"] == loc, (path, params)


# --- search analytics ------------------------------------------------------------


def _create_product(settings: Settings, keys: Keys, product_id: str, title: str) -> None:
    with httpx.Client(
        base_url=api_url(settings, "write_api"),
        headers={"Authorization": f"Bearer {keys.editor}"},
        timeout=60,
    ) as client:
        response = client.put(
            f"/v1/products/{product_id}",
            json={
                "title": title,
                "price": 12.5,
                "stock": 3,
                "categories": [["Analytik", "Test"]],
                # not the read-api-e2e data set: the catalog numbers above stay put
                "attributes": {"dataset": "analytics-e2e"},
            },
        )
    assert response.status_code in (200, 201), response.text


def _queries(client: httpx.Client, path: str, prefix: str) -> dict[str, dict[str, Any]]:
    answer = _get(client, path, period="1d", limit=50, prefix=prefix)
    return {entry["query"]: entry for entry in answer["queries"]}


def test_searches_are_rolled_up_into_top_and_no_result_queries(
    analyst: httpx.Client, settings: Settings, keys: Keys, catalog: Catalog
) -> None:
    token = f"zqa{uuid.uuid4().hex[:12]}"
    product_id = f"AN-{token}"
    _create_product(settings, keys, product_id, f"Analytik {token} Hülle")
    # the product page is not a search: polling it logs nothing
    wait_for(
        lambda: analyst.get(f"/v1/products/{product_id}").status_code == 200,
        60,
        "the analytics product becoming searchable",
    )
    # three spellings of one query, over GET and POST: counted as one normalised query
    for q in (f"  {token.upper()}  ", token):
        assert _get(analyst, "/v1/search", q=q)["total"] == 1
    posted = analyst.post("/v1/search", json={"q": f"{token}\t"})
    assert posted.status_code == 200, posted.text
    assert posted.json()["total"] == 1
    # one word: of two, the second stage would drop the unknown one and find the product
    missing = f"{token}nirgendwo{uuid.uuid4().hex[:8]}"
    for _ in range(2):
        assert _get(analyst, "/v1/search", q=missing)["total"] == 0

    def rolled_up() -> bool:
        response = analyst.get("/v1/analytics/searches/top", params={"prefix": token})
        # 503: today's event index may be new and its shard still starting
        queries = {q["query"] for q in response.json()["queries"]} if response.is_success else ()
        return token in queries and missing in queries

    wait_for(rolled_up, ROLLUP_DEADLINE_S, "the searches reaching the analytics indices")
    top = _queries(analyst, "/v1/analytics/searches/top", token)
    assert set(top) == {token, missing}
    assert (top[token]["searches"], top[token]["no_results"]) == (3, 0)
    assert top[token]["avg_hits"] == 1
    assert (top[missing]["searches"], top[missing]["no_results"]) == (2, 2)
    empty = _queries(analyst, "/v1/analytics/searches/no-results", token)
    assert set(empty) == {missing}
    assert empty[missing]["searches"] == 2
    volume = _get(analyst, "/v1/analytics/searches/volume", period="1h", interval="5m", q=token)
    assert volume["searches"] == 3
    assert volume["no_results"] == 0
    assert sum(b["searches"] for b in volume["buckets"]) == 3
    starts = [b["at"] for b in volume["buckets"]]
    assert starts == sorted(starts)


def test_listings_are_logged_too(analyst: httpx.Client, catalog: Catalog) -> None:
    category = f"Nirgendwo {uuid.uuid4().hex[:8]}"
    before = _get(analyst, "/v1/analytics/searches/volume", period="1h", kind="listing")
    answer = _get(analyst, "/v1/listing", category=category, filter=IN_DATASET)
    assert answer["total"] == 0

    def counted() -> bool:
        now = _get(analyst, "/v1/analytics/searches/volume", period="1h", kind="listing")
        return int(now["no_results"]) > int(before["no_results"])

    wait_for(counted, ROLLUP_DEADLINE_S, "the listing reaching the analytics indices")
