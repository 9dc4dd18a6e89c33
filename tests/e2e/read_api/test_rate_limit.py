"""Rate limits over HTTP: a read API of its own with a small bucket, so no other test is limited.

A client is its verified key, else its address: made-up keys never open a
bucket of their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from catalog.settings import Settings
from tests.keys import mint_key
from tests.processes import private_read_api

BURST = 3
ADDRESS_BURST = 100  # the case: the 101st request of one address is refused


@pytest.fixture
def limited_api() -> Iterator[httpx.Client]:
    """A read API on the test stack whose clients may send 3 requests, then one per 1,000 s.

    One per test: the address's bucket (which pays for each key's first,
    verifying request) starts full every time.
    """
    with private_read_api(_limits(BURST)) as client:
        client.headers["X-Forwarded-For"] = _address()
        yield client


def _limits(burst: int) -> dict[str, str]:
    # behind one trusted proxy: each test sends from an address of its own (the buckets
    # live in the stack's Redis, shared by every read API process on it)
    return {
        "CATALOG_RATE_LIMIT_PER_S": "0.001",
        "CATALOG_RATE_LIMIT_BURST": str(burst),
        "CATALOG_RATE_LIMIT_TRUSTED_PROXIES": "1",
    }


def _address() -> str:
    return f"198.51.100.{uuid.uuid4().int % 250 + 1}-{uuid.uuid4().hex[:8]}"


def _as(client_key: str) -> dict[str, str]:
    return {"X-API-Key": client_key}


def _editor_key(settings: Settings) -> str:
    return mint_key(settings, "editor", "rate limit test")


def test_a_burst_beyond_the_bucket_is_429_with_retry_after(
    limited_api: httpx.Client, settings: Settings
) -> None:
    key = _editor_key(settings)  # a verified key: a bucket of its own
    # its first request verifies it (and counts against the address); then it has its bucket
    assert limited_api.get("/v1/products/NOPE-0", headers=_as(key)).status_code == 404
    answers = [limited_api.get(f"/v1/products/NOPE-{i}", headers=_as(key)) for i in range(6)]
    statuses = [a.status_code for a in answers]
    assert statuses[:BURST] == [404] * BURST, statuses
    assert 429 in statuses[BURST:], statuses
    refused = next(a for a in answers if a.status_code == 429)
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["x-ratelimit-limit"] == str(BURST)
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert int(refused.headers["x-ratelimit-reset"]) >= 1
    assert refused.headers["x-request-id"]  # refused inside the request context: logged
    assert "detail" in refused.json()
    assert [a.headers["x-ratelimit-remaining"] for a in answers[:BURST]] == ["2", "1", "0"]


def test_another_verified_key_keeps_its_own_bucket(
    limited_api: httpx.Client, settings: Settings
) -> None:
    spent, fresh = _editor_key(settings), _editor_key(settings)
    for _ in range(BURST + 2):
        limited_api.get("/v1/products/NOPE-1", headers=_as(spent))
    assert limited_api.get("/v1/products/NOPE-1", headers=_as(spent)).status_code == 429
    # the address's bucket paid for each key's first (verifying) request
    assert limited_api.get("/v1/products/NOPE-1", headers=_as(fresh)).status_code == 404


def test_made_up_keys_all_count_against_the_address() -> None:
    with private_read_api(_limits(ADDRESS_BURST)) as client:
        client.headers["X-Forwarded-For"] = _address()
        statuses = [
            client.get("/v1/products/NOPE-1", headers=_as(uuid.uuid4().hex)).status_code
            for _ in range(ADDRESS_BURST)
        ]
        # a key that is not valid is refused, and each refusal spent the address's tokens
        assert statuses == [403] * ADDRESS_BURST, set(statuses)
        last = client.get("/v1/products/NOPE-1", headers=_as(uuid.uuid4().hex))
        assert last.status_code == 429
        assert last.headers["x-ratelimit-remaining"] == "0"
        # and so does a request without any key, from the same address
        assert client.get("/v1/products/NOPE-1").status_code == 429


def test_operations_endpoints_are_never_limited(
    limited_api: httpx.Client, settings: Settings
) -> None:
    key = _editor_key(settings)
    for path in ["/healthz", "/readyz", "/metrics", "/openapi.json"] * (BURST + 1):
        response = limited_api.get(path, headers=_as(key))
        assert response.status_code == 200, (path, response.status_code)
        assert "x-ratelimit-remaining" not in response.headers


def test_the_stack_read_api_reports_its_limits(read_api: httpx.Client, settings: Settings) -> None:
    key = _editor_key(settings)
    read_api.get("/v1/products/NOPE-1", headers=_as(key))  # verifies it, on the address's bill
    response = read_api.get("/v1/products/NOPE-1", headers=_as(key))
    assert response.headers["x-ratelimit-limit"] == str(settings.rate_limit_burst)
    assert int(response.headers["x-ratelimit-remaining"]) == settings.rate_limit_burst - 1
