"""Writes reach Elasticsearch through the real worker; lost tasks are swept up."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import httpx
from redis.asyncio import Redis

from catalog import pending
from catalog.clients import Clients, redis_client
from catalog.clock import now_ms
from catalog.products.mutations import plan_upsert
from catalog.products.storage import PRODUCTS
from catalog.settings import Settings
from indexer.index_definition import alias_name
from tests.audit import assert_clean_audit
from tests.e2e.write_api.conftest import product
from tests.stack import stopped, wait_for

T = TypeVar("T")
DEADLINE_S = 60  # a liveness bound for the test, not a speed claim (see bench/)


def _indexed_version(settings: Settings, product_id: str) -> int | None:
    response = httpx.get(
        f"{settings.es_urls[0]}{alias_name(settings.es_index_prefix)}/_doc/{product_id}", timeout=10
    )
    return response.json()["_version"] if response.status_code == 200 else None


def test_a_write_becomes_searchable_and_a_delete_disappears(
    write_api: httpx.Client, settings: Settings
) -> None:
    product_id = f"E2E-IDX-{uuid.uuid4().hex[:10]}"
    assert write_api.put(f"/v1/products/{product_id}", json=product(product_id)).status_code == 201
    wait_for(lambda: _indexed_version(settings, product_id) == 1, DEADLINE_S, "version 1 indexed")
    write_api.patch(f"/v1/products/{product_id}", json={"stock": 0})
    wait_for(lambda: _indexed_version(settings, product_id) == 2, DEADLINE_S, "version 2 indexed")
    write_api.delete(f"/v1/products/{product_id}")
    wait_for(lambda: _indexed_version(settings, product_id) is None, DEADLINE_S, "delete indexed")


def _write_without_task(settings: Settings, product_id: str, *, recorded: bool) -> None:
    """An acknowledged write whose index task never reached the broker."""

    async def write() -> None:
        clients = Clients.from_settings(settings)
        try:
            public = {k: v for k, v in product(product_id).items() if k != "id"}
            earlier = now_ms() - timedelta(seconds=30)
            mutation = plan_upsert(product_id, None, public, op="t", actor="t", now=earlier)
            assert mutation.write is not None
            await clients.db[PRODUCTS].insert_one(mutation.write)
            # as the write API does; a process that dies first says nothing
            await pending.record_now(
                clients.redis, [product_id] if recorded else [], trust_lost=not recorded
            )
        finally:
            await clients.close()

    asyncio.run(write())


def test_a_change_whose_task_was_lost_is_swept_up(settings: Settings) -> None:
    product_id = f"E2E-LOST-{uuid.uuid4().hex[:10]}"
    _write_without_task(settings, product_id, recorded=True)
    wait_for(lambda: _indexed_version(settings, product_id) == 1, DEADLINE_S, "swept and indexed")


def test_a_change_missing_from_the_pending_set_is_found_by_a_full_scan(
    settings: Settings,
) -> None:
    product_id = f"E2E-MISSED-{uuid.uuid4().hex[:10]}"
    _write_without_task(settings, product_id, recorded=False)
    wait_for(lambda: _indexed_version(settings, product_id) == 1, DEADLINE_S, "scanned and indexed")


def test_writes_made_while_redis_was_down_are_indexed_after_it_returns(
    write_api: httpx.Client, settings: Settings
) -> None:
    ids = [f"E2E-REDIS-{uuid.uuid4().hex[:8]}" for _ in range(3)]
    with stopped("redis"):
        for product_id in ids:
            response = write_api.put(f"/v1/products/{product_id}", json=product(product_id))
            assert response.status_code == 201
    for product_id in ids:
        wait_for(
            lambda pid=product_id: _indexed_version(settings, pid) == 1,  # type: ignore[misc]
            DEADLINE_S,
            f"{product_id} indexed after the outage",
        )
    assert_clean_audit(settings)


def _on_redis(settings: Settings, work: Callable[[Redis], Awaitable[T]]) -> T:
    async def run() -> T:
        redis = redis_client(settings)
        try:
            return await work(redis)
        finally:
            await redis.aclose()

    return asyncio.run(run())


def test_a_restarted_redis_keeps_the_pending_set_so_no_full_scan_follows(
    settings: Settings,
) -> None:
    # an entry no sweep drops meanwhile: recorded as if far in the future
    product_id, score = f"E2E-DURABLE-{uuid.uuid4().hex[:10]}", float(2**50)
    # the sweeper trusts the set once its first full scan has begun
    wait_for(lambda: _on_redis(settings, pending.trusted), DEADLINE_S, "a trusted pending set")
    _on_redis(settings, lambda redis: redis.zadd(pending.PENDING_KEY, {product_id: score}))
    try:
        with stopped("redis"):
            pass
        assert _on_redis(settings, pending.trusted), "the restart lost the epoch: a full scan"
        held = _on_redis(settings, lambda redis: redis.zscore(pending.PENDING_KEY, product_id))
        assert held == score
    finally:
        _on_redis(settings, lambda redis: redis.zrem(pending.PENDING_KEY, product_id))
