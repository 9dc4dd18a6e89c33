"""The sync status on the real services: the unsynced count from the pending set and a scan."""

from __future__ import annotations

from catalog import pending
from catalog.clients import Clients
from catalog.products.store import ProductStore
from indexer.index_definition import alias_name
from indexer.status import PENDING_CHECK_LIMIT, sync_report
from indexer.sync import sync_products
from tests.integration.indexer.conftest import FULL_SCAN_INTERVAL_S
from tests.integration.indexer.writing import upsert


async def test_the_pending_set_and_the_scan_count_the_same_unsynced_products(
    sweeping: Clients,
) -> None:
    store = ProductStore(sweeping.db, point_reads=True)
    for product_id in ("ST-1", "ST-2", "ST-3"):
        await upsert(store, product_id)
    await pending.record_now(sweeping.redis, ["ST-1", "ST-2", "ST-3"])
    await sync_products(sweeping, ["ST-2"])  # synced, still recorded (as if its task crashed)
    await sweeping.es.indices.refresh(index=alias_name(sweeping.settings.es_index_prefix))

    scanned = await sync_report(sweeping)  # the set is not trusted yet
    assert (scanned.dirty_source, scanned.dirty, scanned.mongodb_products) == ("scan", 2, 3)

    await pending.trust_until_full_scan(sweeping.redis, FULL_SCAN_INTERVAL_S)
    fast = await sync_report(sweeping, counts=False)
    assert (fast.dirty_source, fast.dirty, fast.mongodb_products) == ("pending_set", 2, None)
    assert fast.oldest_unsynced_age_s is not None
    assert scanned.oldest_unsynced_age_s is not None
    assert fast.oldest_unsynced_age_s >= scanned.oldest_unsynced_age_s
    assert fast.elasticsearch_documents == 1


async def test_a_backlog_larger_than_the_check_limit_is_the_sets_size(
    sweeping: Clients,
) -> None:
    store = ProductStore(sweeping.db, point_reads=True)
    await upsert(store, "BIG-1")
    await pending.trust_until_full_scan(sweeping.redis, FULL_SCAN_INTERVAL_S)
    # an import's backlog: more ids than are checked one by one
    filler = [f"FAR-{n}" for n in range(PENDING_CHECK_LIMIT)]
    await pending.record_now(sweeping.redis, ["BIG-1", *filler])
    report = await sync_report(sweeping, counts=False)
    assert (report.dirty_source, report.dirty) == ("pending_set_size", PENDING_CHECK_LIMIT + 1)
    assert report.oldest_unsynced_age_s is not None
    assert 0 <= report.oldest_unsynced_age_s < 3600

    # synced and forgotten as the indexer does: the set shrinks below the limit
    await sync_products(sweeping, ["BIG-1"])
    await pending.forget_synced(sweeping.redis, ["BIG-1"], await pending.clock_ms(sweeping.redis))
    await sweeping.redis.zrem(pending.PENDING_KEY, "FAR-0")
    checked = await sync_report(sweeping, counts=False)
    # the others are ids of products this catalog does not hold: nothing to sync
    assert (checked.dirty_source, checked.dirty) == ("pending_set", 0)
