"""Rate limits over HTTP: a read API of its own with a tiny bucket, so no other test is limited."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from catalog.settings import Settings
from tests.processes import private_read_api

BURST = 3


@pytest.fixture(scope="module")
def limited_api() -> Iterator[httpx.Client]:
    """A read API on the test stack whose clients may send 3 requests, then one per 1,000 s."""
    overrides = {"CATALOG_RATE_LIMIT_PER_S": "0.001", "CATALOG_RATE_LIMIT_BURST": str(BURST)}
    with private_read_api(overrides) as client:
        yield client


def _as(client_key: str) -> dict[str, str]:
    return {"X-API-Key": client_key}


def test_a_burst_beyond_the_bucket_is_429_with_retry_after(limited_api: httpx.Client) -> None:
    key = uuid.uuid4().hex  # a bucket of its own
    answers = [limited_api.get(f"/v1/products/NOPE-{key[:8]}", headers=_as(key)) for _ in range(6)]
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


def test_another_client_keeps_its_own_bucket(limited_api: httpx.Client) -> None:
    spent, fresh = uuid.uuid4().hex, uuid.uuid4().hex
    for _ in range(BURST + 1):
        limited_api.get("/v1/products/NOPE-1", headers=_as(spent))
    assert limited_api.get("/v1/products/NOPE-1", headers=_as(spent)).status_code == 429
    assert limited_api.get("/v1/products/NOPE-1", headers=_as(fresh)).status_code == 404


def test_operations_endpoints_are_never_limited(limited_api: httpx.Client) -> None:
    key = uuid.uuid4().hex
    for path in ["/healthz", "/readyz", "/metrics", "/openapi.json"] * (BURST + 1):
        response = limited_api.get(path, headers=_as(key))
        assert response.status_code == 200, (path, response.status_code)
        assert "x-ratelimit-remaining" not in response.headers


def test_the_stack_read_api_reports_its_limits(read_api: httpx.Client, settings: Settings) -> None:
    response = read_api.get("/v1/products/NOPE-1", headers=_as(uuid.uuid4().hex))
    assert response.headers["x-ratelimit-limit"] == str(settings.rate_limit_burst)
    assert int(response.headers["x-ratelimit-remaining"]) == settings.rate_limit_burst - 1
