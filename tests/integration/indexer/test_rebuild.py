"""Zero-downtime rebuild against the real servers, on a catalog of its own."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.products.mutations import plan_delete, plan_upsert
from catalog.products.storage import PRODUCTS
from catalog.products.store import ProductStore
from indexer import rebuild as rebuild_module
from indexer.index_definition import alias_name
from indexer.rebuild import LOCK_KEY, RebuildInProgress, rebuild
from indexer.sync import sync_products
from tests.audit import converged

COUNT = 300


def _public(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "title": f"Ladekabel USB-C {n}",
        "price": 9.99,
        "stock": n % 5,
        "status": "active",
        "categories": [["Handyzubehör", "Kabel"]],
        "attributes": {},
        "images": [],
        **extra,
    }


async def _upsert(store: ProductStore, product_id: str, **extra: Any) -> None:
    for _ in range(5):
        current = await store.get(product_id)
        public = _public(int(product_id.split("-")[1]), **extra)
        plan = plan_upsert(product_id, current, public, op="t", actor="t", now=now_ms())
        if await store.apply(plan):
            return
    raise AssertionError(f"could not write {product_id}")


async def _seed(clients: Clients) -> list[str]:
    store = ProductStore(clients.db, point_reads=True)
    ids = [f"P-{n:04d}" for n in range(COUNT)]
    for product_id in ids:
        await _upsert(store, product_id)
    await sync_products(clients, ids)
    return ids


async def _es_versions(clients: Clients) -> dict[str, int]:
    alias = alias_name(clients.settings.es_index_prefix)
    await clients.es.indices.refresh(index=alias)
    answer = await clients.es.search(index=alias, size=1000, version=True)
    return {hit["_id"]: hit["_version"] for hit in answer["hits"]["hits"]}


async def _mongo_versions(clients: Clients) -> dict[str, int]:
    cursor = clients.db[PRODUCTS].find({"deleted_at": None}, {"version": 1})
    return {doc["_id"]: doc["version"] async for doc in cursor}


async def test_a_rebuild_swaps_the_alias_to_a_complete_new_index(own: Clients) -> None:
    ids = await _seed(own)
    store = ProductStore(own.db, point_reads=True)
    current = await store.get(ids[0])
    assert current is not None
    assert await store.apply(plan_delete(ids[0], current, actor="t", now=now_ms()))
    seen: list[tuple[int, int]] = []
    result = await rebuild(own, batch=100, progress=lambda done, total: seen.append((done, total)))
    alias = alias_name(own.settings.es_index_prefix)
    assert list(await own.es.indices.get_alias(name=alias)) == [result.index]
    assert result.previous
    assert result.index not in result.previous
    for old in result.previous:
        assert not await own.es.indices.exists(index=old)
    assert result.products == COUNT - 1
    assert seen[-1] == (COUNT - 1, COUNT - 1)
    assert await _es_versions(own) == await _mongo_versions(own)
    await converged(own)


async def test_writes_during_a_rebuild_all_end_up_in_the_new_index(own: Clients) -> None:
    ids = await _seed(own)
    store = ProductStore(own.db, point_reads=True)
    done = asyncio.Event()

    async def editors() -> int:
        # keep changing products, each change synced like a normal index task
        writes = 0
        while not done.is_set() or writes < 50:
            product_id = ids[writes % len(ids)]
            await _upsert(store, product_id, stock=writes + 100)
            await sync_products(own, [product_id])
            writes += 1
            await asyncio.sleep(0.02)  # about 50 writes a second
        return writes

    writer = asyncio.create_task(editors())
    try:
        await rebuild(own, batch=50)
    finally:
        done.set()
    assert await writer >= 50
    assert await _es_versions(own) == await _mongo_versions(own)
    await converged(own)


async def test_two_rebuilds_never_overlap(own: Clients) -> None:
    await _seed(own)
    lock = own.redis.lock(LOCK_KEY, timeout=60)
    assert await lock.acquire(blocking=False)
    try:
        with pytest.raises(RebuildInProgress):
            await rebuild(own)
    finally:
        await lock.release()


async def test_a_failed_rebuild_leaves_the_live_alias_untouched(
    own: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _seed(own)
    alias = alias_name(own.settings.es_index_prefix)
    live_before = list(await own.es.indices.get_alias(name=alias))

    async def broken_swap(clients: Clients, index: str) -> list[str]:
        raise RuntimeError("simulated failure just before the swap")

    monkeypatch.setattr(rebuild_module, "_swap", broken_swap)
    with pytest.raises(RuntimeError):
        await rebuild(own)
    assert list(await own.es.indices.get_alias(name=alias)) == live_before
    indices = await own.es.indices.get(index=f"{own.settings.es_index_prefix}-*")
    assert sorted(indices) == sorted(live_before)  # the half-built index is gone
