"""Who may read what, over HTTP on the test stack: roles, secured keys, revocation, sealed secrets.

Secured keys are made by the official Algolia Python client from a `search`
key, as a shop's back end would make them for a logged-in B2B customer.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from catalog.clients import Clients
from catalog.products.storage import API_KEYS
from catalog.settings import Settings
from tests.e2e.conftest import Keys, api_url
from tests.e2e.read_api.conftest import IN_DATASET, Catalog
from tests.keys import mint_key, revoke, secured_key
from tests.processes import private_read_api

ANALYTICS = ["/v1/analytics/catalog", "/v1/analytics/searches/top?period=1d"]
INVALID = {"message": "Invalid Application-ID or API key", "status": 403}


@pytest.fixture(scope="module")
def brands(catalog: Catalog) -> tuple[str, str]:
    """The data set's commonest brand (the customer's) and another one."""
    counts = Counter(p["brand"] for p in catalog.active if p.get("brand"))
    (mine, _), (other, _) = counts.most_common(2)
    return mine, other


@pytest.fixture(scope="module")
def restricted(keys: Keys, brands: tuple[str, str]) -> str:
    """A secured key that sees only the first brand."""
    return secured_key(keys.search, filters=f'brand:"{brands[0]}"')


def _as(key: str) -> dict[str, str]:
    return {"X-Algolia-API-Key": key, "X-Algolia-Application-Id": "catalog"}


def _query(client: httpx.Client, key: str, **params: Any) -> httpx.Response:
    body = {"facetFilters": [IN_DATASET], "facets": ["brand"], **params}
    return client.post("/1/indexes/products/query", json=body, headers=_as(key))


@pytest.mark.parametrize("path", ANALYTICS)
def test_analytics_need_an_analyst_or_admin_key(
    read_api: httpx.Client, keys: Keys, path: str
) -> None:
    assert read_api.get(path).status_code == 401
    for key in (keys.editor, keys.search):
        assert read_api.get(path, headers={"Authorization": f"Bearer {key}"}).status_code == 403
    for key in (keys.analyst, keys.admin):
        assert read_api.get(path, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    # a revoked or made-up key is refused before anything else
    assert read_api.get(path, headers={"X-API-Key": keys.revoked}).status_code == 403


def test_sync_status_is_for_analysts_editors_and_admins(settings: Settings, keys: Keys) -> None:
    with httpx.Client(base_url=api_url(settings, "write_api"), timeout=60) as write_api:
        path = "/v1/sync/status?counts=false"
        assert write_api.get(path).status_code == 401
        search = write_api.get(path, headers={"Authorization": f"Bearer {keys.search}"})
        assert search.status_code == 403
        for key in (keys.analyst, keys.editor, keys.admin):
            answer = write_api.get(path, headers={"Authorization": f"Bearer {key}"})
            assert answer.status_code == 200, answer.text
        # an analyst reads, never writes
        put = write_api.put(
            "/v1/products/ACCESS-1",
            json={"title": "x", "price": 1},
            headers={"Authorization": f"Bearer {keys.analyst}"},
        )
        assert put.status_code == 403


def test_a_secured_key_sees_only_its_brand_in_search_and_facets(
    read_api: httpx.Client, restricted: str, brands: tuple[str, str], catalog: Catalog
) -> None:
    mine, _ = brands
    answer = _query(read_api, restricted, hitsPerPage=50)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    expected = sum(1 for p in catalog.active if p.get("brand") == mine)
    assert found["nbHits"] == expected
    assert {hit["brand"] for hit in found["hits"]} == {mine}
    assert found["facets"]["brand"] == {mine: expected}
    # the same request without the key sees every brand
    assert len(_query(read_api, "public").json()["facets"]["brand"]) > 1


def test_a_secured_key_holds_in_multi_query_and_facet_value_search(
    read_api: httpx.Client, restricted: str, brands: tuple[str, str]
) -> None:
    mine, other = brands
    requests = [
        {"indexName": "products", "facetFilters": [IN_DATASET], "hitsPerPage": 20},
        {"indexName": "products_price_asc", "facetFilters": [IN_DATASET], "hitsPerPage": 20},
        {"indexName": "products", "type": "facet", "facet": "brand", "facetQuery": ""},
    ]
    multi = read_api.post(
        "/1/indexes/*/queries", json={"requests": requests}, headers=_as(restricted)
    )
    assert multi.status_code == 200, multi.text
    results = multi.json()["results"]
    for result in results[:2]:
        assert result["nbHits"] > 0
        assert {hit["brand"] for hit in result["hits"]} == {mine}
    assert [f["value"] for f in results[2]["facetHits"]] == [mine]
    # asking for the other brand finds nothing, even when asked for by name
    values = read_api.post(
        "/1/indexes/products/facets/brand/query",
        json={"facetQuery": other[:3], "facetFilters": [IN_DATASET]},
        headers=_as(restricted),
    )
    assert values.status_code == 200, values.text
    assert other not in [f["value"] for f in values.json()["facetHits"]]
    widened = _query(read_api, restricted, filters=f'brand:"{other}"')
    assert widened.json()["nbHits"] == 0


def test_a_secured_key_cannot_fetch_another_brands_product(
    read_api: httpx.Client, restricted: str, brands: tuple[str, str], catalog: Catalog
) -> None:
    mine, other = brands
    own = next(p for p in catalog.active if p.get("brand") == mine)
    foreign = next(p for p in catalog.active if p.get("brand") == other)
    path = "/1/indexes/products/{}"
    # first fetched without a key, so the unrestricted answer is cached and must not leak
    assert read_api.get(path.format(foreign["id"])).status_code == 200
    assert read_api.get(path.format(foreign["id"]), headers=_as(restricted)).status_code == 404
    assert read_api.get(path.format(own["id"]), headers=_as(restricted)).status_code == 200
    objects = read_api.post(
        "/1/indexes/*/objects",
        json={"requests": [{"indexName": "products", "objectID": p["id"]} for p in (own, foreign)]},
        headers=_as(restricted),
    )
    assert [r and r["objectID"] for r in objects.json()["results"]] == [own["id"], None]
    native = read_api.get(f"/v1/products/{foreign['id']}", headers={"X-API-Key": restricted})
    assert native.status_code == 404


def test_a_secured_key_restricts_the_native_search_too(
    read_api: httpx.Client, restricted: str, brands: tuple[str, str]
) -> None:
    mine, _ = brands
    answer = read_api.get(
        "/v1/search", params={"filter": IN_DATASET}, headers={"X-API-Key": restricted}
    )
    assert answer.status_code == 200, answer.text
    assert {hit["brand"] for hit in answer.json()["hits"]} == {mine}


def test_expired_tampered_and_unknown_keys_get_403_in_algolias_shape(
    read_api: httpx.Client, keys: Keys
) -> None:
    expired = secured_key(keys.search, filters="brand:x", validUntil=int(time.time()) - 1)
    answer = _query(read_api, expired)
    assert answer.status_code == 403
    assert "expired" in answer.json()["message"]
    # widening the filter inside a real key breaks its signature
    real = base64.b64decode(secured_key(keys.search, filters="brand:x")).decode()
    tampered = base64.b64encode(real.replace("brand%3Ax", "brand%3Ay").encode()).decode()
    assert _query(read_api, tampered).json() == INVALID
    assert _query(read_api, "not-a-key").json() == INVALID
    # a key signed by a key that is not a search key (an editor's) is not one either
    assert _query(read_api, secured_key(keys.editor, filters="brand:x")).json() == INVALID


def test_restrict_indices_limits_the_index_names(read_api: httpx.Client, keys: Keys) -> None:
    only_price = secured_key(keys.search, restrictIndices=["products_price_*"])
    allowed = read_api.post(
        "/1/indexes/products_price_asc/query", json={"hitsPerPage": 1}, headers=_as(only_price)
    )
    assert allowed.status_code == 200, allowed.text
    refused = _query(read_api, only_price)
    assert refused.status_code == 403
    assert refused.json()["status"] == 403
    # even when the hit path holds the answer for others (it answers before routing)
    for _ in range(3):
        assert read_api.get("/v1/search").status_code == 200
    assert read_api.get("/v1/search", headers={"X-API-Key": only_price}).status_code == 403


def test_insights_events_need_a_search_key(read_api: httpx.Client, keys: Keys) -> None:
    event = {
        "eventType": "view",
        "eventName": "viewed",
        "index": "products",
        "userToken": "u-1",
        "objectIDs": ["RA-1"],
    }
    body = {"events": [event]}
    assert read_api.post("/1/events", json=body).status_code == 401
    assert read_api.post("/1/events", json=body, headers=_as("public")).status_code == 401
    assert read_api.post("/1/events", json=body, headers=_as("made-up")).status_code == 403
    analyst = read_api.post("/1/events", json=body, headers=_as(keys.analyst))
    assert analyst.status_code == 403
    ok = read_api.post("/1/events", json=body, headers=_as(keys.search))
    assert ok.json() == {"status": 200, "message": "OK"}
    secured = secured_key(keys.search, userToken="b2b-7")
    assert read_api.post("/1/events", json=body, headers=_as(secured)).status_code == 200


def test_a_revoked_key_is_refused_everywhere_within_a_second(
    read_api: httpx.Client, settings: Settings
) -> None:
    search = mint_key(settings, "search", "revocation test")
    analyst = mint_key(settings, "analyst", "revocation test")
    secured = secured_key(search, filters="brand:x")
    with httpx.Client(base_url=api_url(settings, "write_api"), timeout=30) as write_api:
        status = "/v1/sync/status?counts=false"
        bearer = {"Authorization": f"Bearer {analyst}"}
        assert write_api.get(status, headers=bearer).status_code == 200
        assert read_api.get(ANALYTICS[0], headers=bearer).status_code == 200
        assert _query(read_api, secured).status_code == 200
        revoke(settings, analyst)
        revoke(settings, search)
        time.sleep(1.0)  # the promise: refused in every process within 1 s
        assert write_api.get(status, headers=bearer).status_code == 401
        assert read_api.get(ANALYTICS[0], headers=bearer).status_code == 403
        assert _query(read_api, secured).json() == INVALID
        assert _query(read_api, search).json() == INVALID


def test_search_key_secrets_are_sealed_at_rest(settings: Settings, keys: Keys) -> None:
    async def stored() -> dict[str, Any]:
        clients = Clients.from_settings(settings)
        try:
            record = await clients.db[API_KEYS].find_one({"_id": keys.search.split("_")[1]})
            assert record is not None
            return record
        finally:
            await clients.close()

    record = asyncio.run(stored())
    secret = keys.search.split("_", 2)[2]
    assert secret not in str(record)
    assert record["sealed"].startswith("v1.")
    assert record["role"] == "search"


@pytest.fixture(scope="module")
def private_shop(keys: Keys) -> Iterator[httpx.Client]:
    """A read API of its own that answers searches only with a search key."""
    with private_read_api({"CATALOG_SEARCH_REQUIRES_KEY": "true"}) as client:
        yield client


def test_a_private_shop_answers_only_with_a_key(
    private_shop: httpx.Client, keys: Keys, restricted: str
) -> None:
    assert private_shop.get("/v1/search").status_code == 401
    anonymous = private_shop.post("/1/indexes/products/query", json={}, headers=_as("public"))
    assert anonymous.status_code == 401
    assert anonymous.json()["status"] == 401
    assert private_shop.get("/v1/search", headers={"X-API-Key": keys.search}).status_code == 200
    assert _query(private_shop, restricted).status_code == 200
    # probes stay open
    assert private_shop.get("/healthz").status_code == 200
