"""The write API with a dependency really stopped: 503 for MongoDB, no effect for Redis."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import orjson
import pytest

from catalog.settings import Settings
from tests.e2e.write_api.conftest import product
from tests.stack import stack, stopped, wait_for


@pytest.fixture
def mongodb_stopped() -> Iterator[None]:
    """The test stack's FerretDB stopped for the test, started again afterwards."""
    with stopped("ferretdb"):
        yield


@pytest.fixture
def redis_stopped() -> Iterator[None]:
    """The test stack's Redis stopped for the test, started again afterwards."""
    with stopped("redis"):
        yield


def test_mongodb_down_is_503_with_retry_after_never_a_hang_or_500(
    write_api: httpx.Client, product_id: str, settings: Settings, mongodb_stopped: None
) -> None:
    url = f"/v1/products/{product_id}"
    calls = [
        ("POST", "/v1/products", {"json": product(product_id)}),
        ("PUT", url, {"json": product(product_id)}),
        ("PATCH", url, {"json": {"stock": 1}}),
        ("DELETE", url, {}),
        ("GET", url, {}),
        ("GET", f"{url}/history", {}),
        ("GET", "/v1/sync/status", {}),
        (
            "POST",
            "/v1/products:bulk",
            {
                "content": orjson.dumps({"op": "upsert", "product": product(product_id)}),
                "headers": {"Content-Type": "application/x-ndjson"},
            },
        ),
    ]
    for method, path, kwargs in calls:
        # the client's timeout guards against a hang; the server answers on its own much sooner
        response = write_api.request(method, path, timeout=15, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == 503, (method, path, response.text)
        assert response.headers["retry-after"] == str(settings.retry_after_s)
        assert response.json()["dependency"] == "mongodb"
    ready = write_api.get("/readyz", timeout=15)
    assert ready.status_code == 503
    assert ready.json()["failing"] == ["mongodb"]


def test_writes_work_again_once_mongodb_is_back(write_api: httpx.Client, product_id: str) -> None:
    stack("stop", "ferretdb")
    stack("start", "ferretdb")

    def writable() -> bool:
        response = write_api.put(f"/v1/products/{product_id}", json=product(product_id))
        return response.status_code in (200, 201)

    wait_for(writable, 30, "a write after MongoDB came back")


def test_writes_succeed_while_redis_is_down_and_stay_marked_unsynced(
    write_api: httpx.Client, product_id: str, redis_stopped: None
) -> None:
    created = write_api.put(f"/v1/products/{product_id}", json=product(product_id), timeout=15)
    assert created.status_code == 201, created.text
    patched = write_api.patch(f"/v1/products/{product_id}", json={"stock": 2}, timeout=15)
    assert patched.status_code == 200, patched.text
    assert patched.json()["version"] == 2
    status = write_api.get("/v1/sync/status", timeout=15).json()
    assert status["dirty"] >= 1
    assert status["oldest_unsynced_age_s"] is not None


def test_readiness_is_back_on_the_first_request_after_a_redis_restart(
    write_api: httpx.Client,
) -> None:
    write_api.get("/readyz")  # the pool now holds a connection to the Redis about to restart
    stack("stop", "redis")
    stack("start", "redis")
    # the stale pooled connection is retried on a fresh one, not reported as an outage
    assert write_api.get("/readyz").status_code == 200
