"""Rate limits of Algolia clients: a bucket per verified search key and address, CORS on 429s."""

from __future__ import annotations

import uuid

import httpx

from catalog.settings import Settings
from tests.e2e.read_api.test_rate_limit import BURST, limited_api
from tests.keys import mint_key

__all__ = ["limited_api"]


def _object(client: httpx.Client, key: str, in_url: bool) -> httpx.Response:
    path = "/1/indexes/products/NOPE-1"
    headers = {"Origin": "https://shop.example"}
    if in_url:
        return client.get(path, params={"x-algolia-api-key": key}, headers=headers)
    return client.get(path, headers={**headers, "X-Algolia-API-Key": key})


def test_each_search_key_has_its_own_bucket(limited_api: httpx.Client, settings: Settings) -> None:
    spent, fresh = (mint_key(settings, "search", "algolia rate limit") for _ in range(2))
    # the first request verifies the key and counts against the address; then the key
    # (with the address) has a bucket of its own, named by the header and the URL alike
    statuses = [
        _object(limited_api, spent, in_url=i % 2 == 0).status_code for i in range(BURST + 2)
    ]
    assert statuses == [404] * (BURST + 1) + [429], statuses
    refused = _object(limited_api, spent, in_url=False)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["access-control-allow-origin"] == "*"  # browsers can read it
    assert _object(limited_api, fresh, in_url=True).status_code == 404


def test_made_up_search_keys_are_refused_and_spend_the_address(limited_api: httpx.Client) -> None:
    statuses = [_object(limited_api, uuid.uuid4().hex, in_url=False) for _ in range(BURST + 1)]
    assert [s.status_code for s in statuses] == [403] * BURST + [429]
    refused = statuses[0].json()
    assert refused == {"message": "Invalid Application-ID or API key", "status": 403}
