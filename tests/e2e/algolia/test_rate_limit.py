"""Rate limits of Algolia clients: a bucket per search key (and address), CORS on the 429 too."""

from __future__ import annotations

import uuid

import httpx

from tests.e2e.read_api.test_rate_limit import BURST, limited_api

__all__ = ["limited_api"]


def _object(client: httpx.Client, key: str, in_url: bool) -> httpx.Response:
    path = "/1/indexes/products/NOPE-1"
    headers = {"Origin": "https://shop.example"}
    if in_url:
        return client.get(path, params={"x-algolia-api-key": key}, headers=headers)
    return client.get(path, headers={**headers, "X-Algolia-API-Key": key})


def test_each_search_key_has_its_own_bucket(limited_api: httpx.Client) -> None:
    spent, fresh = uuid.uuid4().hex, uuid.uuid4().hex
    # the header and the URL parameter name the same client
    statuses = [
        _object(limited_api, spent, in_url=i % 2 == 0).status_code for i in range(BURST + 1)
    ]
    assert statuses == [404] * BURST + [429], statuses
    refused = _object(limited_api, spent, in_url=False)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["access-control-allow-origin"] == "*"  # browsers can read it
    assert _object(limited_api, fresh, in_url=True).status_code == 404
