"""A product Elasticsearch keeps rejecting is set aside, never blocks others, and can be retried."""

from __future__ import annotations

from catalog.clients import Clients
from catalog.products.storage import PRODUCTS
from catalog.products.store import ProductStore
from indexer.dead_letters import count_dead_letters, dead_letters, revive
from indexer.index_definition import alias_name, index_name
from indexer.read_model import new_index_body
from indexer.rebuild import rebuild
from indexer.status import sync_report
from indexer.sync import sync_products
from tests.audit import converged
from tests.integration.indexer.writing import upsert

TOO_BIG_FOR_INTEGER = 3_000_000_000


async def _index_rejecting_big_stock(clients: Clients) -> str:
    """A live index whose mapping (stock as integer) refuses some valid products."""
    body = new_index_body(replicas=0)
    body["mappings"]["properties"]["stock"] = {"type": "integer"}
    index = index_name(clients.settings.es_index_prefix, "narrow")
    await clients.es.indices.create(
        index=index,
        settings=body["settings"],
        mappings=body["mappings"],
        aliases={alias_name(clients.settings.es_index_prefix): {}},
    )
    return index


async def test_a_rejected_product_becomes_a_dead_letter_and_others_are_indexed(
    own: Clients,
) -> None:
    narrow = await _index_rejecting_big_stock(own)
    store = ProductStore(own.db, point_reads=True)
    for product_id in ("OK-1", "OK-2"):
        await upsert(store, product_id)
    await upsert(store, "POISON", stock=TOO_BIG_FOR_INTEGER)
    ids = ["OK-1", "POISON", "OK-2"]
    limit = own.settings.index_max_attempts

    first = await sync_products(own, ids)
    assert first.indexed == 2
    assert list(first.rejected) == ["POISON"]
    assert first.to_retry == ["POISON"]
    assert not first.dead_lettered
    for _ in range(limit - 2):
        assert not (await sync_products(own, ["POISON"])).dead_lettered
    last = await sync_products(own, ["POISON"])
    assert last.dead_lettered == ["POISON"]
    assert last.to_retry == []

    stored = await own.db[PRODUCTS].find_one({"_id": "POISON"})
    assert stored is not None
    assert "dirty_since" not in stored  # the sweeper leaves it alone now
    letters = await dead_letters(own)
    assert [(d.id, d.version, d.attempts) for d in letters] == [("POISON", 1, limit)]
    assert "stock" in letters[0].error
    report = await sync_report(own)
    assert report.dead_letters == 1
    assert report.dead_letter_samples[0].id == "POISON"

    # the cause is fixed (a rebuild with the right mapping), then the dead letter is retried
    await rebuild(own)
    assert not await own.es.indices.exists(index=narrow)
    assert await revive(own) == ["POISON"]
    retried = await sync_products(own, ["POISON"])
    assert not retried.failed
    assert await count_dead_letters(own) == 0
    await converged(own)


async def test_a_new_version_of_a_rejected_product_counts_afresh(own: Clients) -> None:
    await _index_rejecting_big_stock(own)
    store = ProductStore(own.db, point_reads=True)
    await upsert(store, "POISON", stock=TOO_BIG_FOR_INTEGER)
    for _ in range(own.settings.index_max_attempts - 1):
        await sync_products(own, ["POISON"])
    await upsert(store, "POISON", stock=TOO_BIG_FOR_INTEGER + 1)  # version 2
    assert not (await sync_products(own, ["POISON"])).dead_lettered
    await upsert(store, "POISON", stock=5)  # an editor fixes the product itself
    fixed = await sync_products(own, ["POISON"])
    assert fixed.indexed == 1
    assert await own.db["sync_failures"].count_documents({}) == 0
    await converged(own)
