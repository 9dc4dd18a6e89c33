"""A rule change is live through the cache within the sync bound, on the native API."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from tests.e2e.merchandising.conftest import DATASET, WORD

SYNC_BOUND_S = 2.0  # the contract's bound for a change to be visible


def native(reader: httpx.Client, context: str) -> httpx.Response:
    params = {"q": WORD, "filter": f"attributes.dataset:{DATASET}", "rule_context": context}
    response = reader.get("/v1/search", params=params)
    assert response.status_code == 200, response.text
    return response


def test_a_rule_change_is_live_through_the_cache_within_two_seconds(
    reader: httpx.Client, write_api: httpx.Client, rules: Callable[..., str], context: str
) -> None:
    first = native(reader, context)
    ids = [hit["id"] for hit in first.json()["hits"]]
    assert native(reader, context).headers["x-cache"] == "hit"  # the answer is cached
    pinned = ids[-1]
    body = {
        "conditions": [{"pattern": WORD, "context": context}],
        "consequence": {"promote": [{"objectID": pinned, "position": 0}]},
    }
    started = time.monotonic()
    rule_id = rules(body)
    while native(reader, context).json()["hits"][0]["id"] != pinned:
        assert time.monotonic() - started < SYNC_BOUND_S, "the pin is not live within 2 s"
        time.sleep(0.05)
    # and a delete is live as fast: the cached pinned answer is not served any more
    started = time.monotonic()
    assert write_api.delete(f"/v1/rules/{rule_id}").status_code == 200
    while [hit["id"] for hit in native(reader, context).json()["hits"]] != ids:
        assert time.monotonic() - started < SYNC_BOUND_S, "the delete is not live within 2 s"
        time.sleep(0.05)
