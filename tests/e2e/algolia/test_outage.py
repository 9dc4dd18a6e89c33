"""Elasticsearch unreachable: the Algolia routes answer 503 in Algolia's shape, with Retry-After."""

from __future__ import annotations

import secrets

import httpx

from tests.e2e.read_api.test_outage import read_api_without_elasticsearch

__all__ = ["read_api_without_elasticsearch"]


def test_searches_and_objects_are_503_with_retry_after(
    read_api_without_elasticsearch: httpx.Client,
) -> None:
    client = read_api_without_elasticsearch
    words = f"outage {secrets.token_hex(4)}"  # never cached by an earlier search
    answers = [
        client.post("/1/indexes/products/query", json={"query": words}),
        client.post(
            "/1/indexes/*/queries",
            json={"requests": [{"indexName": "products", "query": words}] * 2},
        ),
        client.post("/1/indexes/products/facets/brand/query", json={"facetQuery": words}),
        client.get(f"/1/indexes/products/OUTAGE-{secrets.token_hex(4)}"),
    ]
    for response in answers:
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "7"
        body = response.json()
        assert set(body) == {"message", "status"}
        assert body["status"] == 503
        assert "elasticsearch" in body["message"]
