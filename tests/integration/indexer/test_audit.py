"""The audit finds every kind of difference between MongoDB and the index, and repairs it."""

from __future__ import annotations

from datetime import timedelta

from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.products.store import ProductStore
from indexer.audit import audit, last_audit
from indexer.documents import build_document
from indexer.index_definition import alias_name
from indexer.sync import sync_products
from tests.integration.indexer.writing import delete, upsert

COUNT = 2500  # more than two pages of both streams


async def _seed(own: Clients, store: ProductStore) -> list[str]:
    ids = [f"A-{n:05d}" for n in range(COUNT)]
    for product_id in ids:
        await upsert(store, product_id, title=f"Panzerglas {product_id}")
    for start in range(0, COUNT, 500):
        await sync_products(own, ids[start : start + 500])
    return ids


async def test_an_audit_finds_missing_stale_and_extra_documents_and_repairs_them(
    own: Clients,
) -> None:
    store = ProductStore(own.db, point_reads=True)
    ids = await _seed(own, store)
    alias = alias_name(own.settings.es_index_prefix)
    clean = await audit(own)
    assert clean.clean
    assert (clean.mongodb_products, clean.elasticsearch_documents) == (COUNT, COUNT)

    earlier = now_ms() - timedelta(minutes=5)  # changes whose index task was lost long ago
    await upsert(store, "A-99999", at=earlier)  # missing: created, never synced
    await upsert(store, ids[20], at=earlier, stock=9)  # stale: version 2 never synced
    await delete(store, ids[30], at=earlier)  # extra: deleted, still indexed
    ghost = build_document({"_id": "GHOST-1", "title": "Hülle", "price": 1.0, "version": 4})
    await own.es.index(  # extra: unknown to MongoDB
        index=alias, id="GHOST-1", document=ghost, version=4, version_type="external"
    )
    await own.es.indices.refresh(index=alias)

    found = await audit(own)
    assert not found.clean
    assert (found.missing, found.stale, found.extra, found.ahead) == (1, 1, 2, 0)
    assert found.in_flight == 0  # written before the audit started: faults, not in flight
    assert found.samples["missing"] == ["A-99999"]
    assert found.samples["stale"] == [ids[20]]
    assert set(found.samples["extra"]) == {"GHOST-1", ids[30]}
    kept = await last_audit(own)
    assert kept is not None
    assert kept["clean"] is False
    assert kept["missing"] == 1

    repaired = await audit(own, repair=True)
    assert repaired.repaired >= 4
    after = await audit(own)
    assert after.clean
    assert after.in_flight == 0
    assert after.mongodb_products == after.elasticsearch_documents == COUNT
