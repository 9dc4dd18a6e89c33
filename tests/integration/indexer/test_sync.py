"""Syncing products into the real Elasticsearch: newest version wins, deletes stay deleted."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest

from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.products.mutations import plan_delete, plan_upsert
from catalog.products.storage import PRODUCTS
from catalog.products.store import ProductStore
from indexer.index_definition import alias_name
from indexer.sync import SyncResult, sync_products, write_documents
from indexer.versions import unsynced_among
from tests.audit import converged


def _public(**fields: Any) -> dict[str, Any]:
    return {
        "title": "Silikon Hülle iPhone 15",
        "price": 19.99,
        "stock": 3,
        "status": "active",
        "categories": [["Handyzubehör", "Hüllen"]],
        "attributes": {"color": "schwarz"},
        "images": [],
        **fields,
    }


async def _write(store: ProductStore, product_id: str, **fields: Any) -> dict[str, Any]:
    current = await store.get(product_id)
    mutation = plan_upsert(product_id, current, _public(**fields), op="t", actor="t", now=now_ms())
    assert await store.apply(mutation)
    stored = await store.get(product_id)
    assert stored is not None
    return stored


async def _es_version(clients: Clients, product_id: str) -> int | None:
    alias = alias_name(clients.settings.es_index_prefix)
    answer = await clients.es.get(index=alias, id=product_id, ignore=[404])
    return answer["_version"] if answer.get("found") else None


@pytest.fixture
def product_id() -> str:
    return f"IT-SYNC-{uuid.uuid4().hex[:10]}"


async def test_the_newest_version_wins_whatever_order_and_repeats(
    clients: Clients, product_id: str
) -> None:
    store = ProductStore(clients.db, point_reads=True)
    v1 = copy.deepcopy(await _write(store, product_id, price=10.0))
    v2 = await _write(store, product_id, price=12.5)
    assert (await write_documents(clients, [v2])).indexed == 1
    stale = await write_documents(clients, [v1])  # a task that read version 1 arrives late
    again = await write_documents(clients, [v2])  # and a duplicate of the newer one
    assert stale.already_newer == 1
    assert again.already_newer == 1
    assert await _es_version(clients, product_id) == 2
    alias = alias_name(clients.settings.es_index_prefix)
    source = (await clients.es.get(index=alias, id=product_id))["_source"]
    assert source["price"] == 12.5
    await converged(clients)


async def test_a_deleted_product_never_comes_back(clients: Clients, product_id: str) -> None:
    store = ProductStore(clients.db, point_reads=True)
    live = copy.deepcopy(await _write(store, product_id))
    await write_documents(clients, [live])
    current = await store.get(product_id)
    assert current is not None
    assert await store.apply(plan_delete(product_id, current, actor="t", now=now_ms()))
    result = await sync_products(clients, [product_id])
    assert result.deleted == 1
    assert await _es_version(clients, product_id) is None
    late = await write_documents(clients, [live])  # the older live state, delivered late
    assert late.already_newer == 1
    assert await _es_version(clients, product_id) is None
    await converged(clients)


async def test_a_synced_product_is_no_longer_unsynced_and_mongodb_is_not_written(
    clients: Clients, product_id: str
) -> None:
    store = ProductStore(clients.db, point_reads=True)
    await _write(store, product_id)
    before = await clients.db[PRODUCTS].find_one({"_id": product_id})
    assert [d["_id"] for d in await unsynced_among(clients, [product_id], point_reads=True)] == [
        product_id
    ]
    await sync_products(clients, [product_id])
    assert await unsynced_among(clients, [product_id], point_reads=True) == []
    # the sync leaves MongoDB as it was: no mark to clear, no change log to copy
    assert await clients.db[PRODUCTS].find_one({"_id": product_id}) == before


async def test_publishing_happens_once_the_state_is_in_the_index(
    clients: Clients, product_id: str
) -> None:
    store = ProductStore(clients.db, point_reads=True)
    await _write(store, product_id, price=21.0)
    seen: list[tuple[int | None, bool, bool]] = []

    async def on_written(written: SyncResult) -> None:
        unsynced = await unsynced_among(clients, [product_id], point_reads=True)
        seen.append((await _es_version(clients, product_id), bool(unsynced), written.changed))

    result = await sync_products(clients, [product_id], on_written=on_written)
    # in Elasticsearch already (so synced), and reported as a change
    assert seen == [(1, False, True)]
    assert result.indexed == 1

    seen.clear()
    await sync_products(clients, [product_id], on_written=on_written)  # nothing new to write
    assert seen == [(1, False, False)]
