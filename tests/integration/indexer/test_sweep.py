"""The sweeper and its pending set, on the real MongoDB-protocol server and Redis.

Each test has a database of its own and a spare Redis database, so the stack's
own workers never sweep or index its products.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from catalog import pending
from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.products.store import ProductStore
from catalog.queue import (
    QUEUED_MARK_TTL_S,
    SYNCING_MARK_TTL_S,
    mark_queued,
    queued_mark,
    release_syncing,
    syncing_mark,
    take_queued,
)
from indexer import versions
from indexer.sweep import (
    MARK_TRUSTED_S,
    SWEEP_DUTY_FACTOR,
    SWEEP_GRACE,
    SWEEP_PAUSE_KEY,
    find_lost,
    pause_full_scans_after,
)
from indexer.sync import sync_products
from tests.integration.indexer.conftest import FULL_SCAN_INTERVAL_S
from tests.integration.indexer.writing import upsert

LONG_AGO = timedelta(seconds=30)


async def _record_ago(redis: Redis, product_id: str, age: timedelta) -> None:
    """Record an id as the write path does, dated `age` ago on Redis's clock."""
    score = await pending.clock_ms(redis) - int(age.total_seconds() * 1000)
    await redis.zadd(pending.PENDING_KEY, {product_id: score})


async def _score(redis: Redis, product_id: str) -> float | None:
    return await redis.zscore(pending.PENDING_KEY, product_id)


async def test_a_recorded_change_left_unsynced_is_found_without_a_full_scan(
    sweeping: Clients,
) -> None:
    await pending.trust_until_full_scan(sweeping.redis, FULL_SCAN_INTERVAL_S)
    store = ProductStore(sweeping.db, point_reads=True)
    await upsert(store, "LOST-1")
    await _record_ago(sweeping.redis, "LOST-1", LONG_AGO)  # its task never ran
    await upsert(store, "WAITING-1")  # its task waits in a long queue
    assert await mark_queued(sweeping.redis, ["WAITING-1"]) == ["WAITING-1"]
    await _record_ago(sweeping.redis, "WAITING-1", LONG_AGO)
    found = await find_lost(sweeping, point_reads=True)
    assert (found.ids, found.full_scan, found.checked) == (["LOST-1"], False, 1)
    assert await _score(sweeping.redis, "WAITING-1") is not None
    # sent once: the next sweeps leave it to that task for a while
    assert (await find_lost(sweeping, point_reads=True)).ids == []
    assert await _score(sweeping.redis, "LOST-1") is not None  # until it is synced


async def test_a_product_being_synced_is_not_sent_again_until_its_task_lets_go(
    sweeping: Clients,
) -> None:
    await pending.trust_until_full_scan(sweeping.redis, FULL_SCAN_INTERVAL_S)
    store = ProductStore(sweeping.db, point_reads=True)
    await upsert(store, "SLOW-1")
    assert await mark_queued(sweeping.redis, ["SLOW-1"]) == ["SLOW-1"]
    await _record_ago(sweeping.redis, "SLOW-1", LONG_AGO)
    await take_queued(sweeping.redis, ["SLOW-1"])  # its task started, and is slow
    assert (await find_lost(sweeping, point_reads=True)).checked == 0
    await release_syncing(sweeping.redis, ["SLOW-1"])  # it failed without syncing
    found = await find_lost(sweeping, point_reads=True)
    assert (found.ids, found.checked) == (["SLOW-1"], 1)


async def test_a_synced_product_leaves_the_set_and_a_fresh_change_waits_out_the_grace(
    sweeping: Clients,
) -> None:
    store = ProductStore(sweeping.db, point_reads=True)
    await pending.trust_until_full_scan(sweeping.redis, FULL_SCAN_INTERVAL_S)
    await upsert(store, "DONE-1")
    await upsert(store, "FRESH-1")
    assert (await sync_products(sweeping, ["DONE-1"])).indexed == 1
    await _record_ago(sweeping.redis, "DONE-1", LONG_AGO)  # its removal was lost
    await _record_ago(sweeping.redis, "FRESH-1", SWEEP_GRACE / 3)
    await _record_ago(sweeping.redis, "NEVER-WRITTEN", LONG_AGO)  # a write that failed
    found = await find_lost(sweeping, point_reads=True)
    assert (found.ids, found.checked) == ([], 2)
    assert await _score(sweeping.redis, "DONE-1") is None
    assert await _score(sweeping.redis, "NEVER-WRITTEN") is None
    assert await _score(sweeping.redis, "FRESH-1") is not None


async def test_a_change_the_set_missed_is_found_by_a_full_scan_once_trust_is_lost(
    sweeping: Clients,
) -> None:
    await pending.trust_until_full_scan(sweeping.redis, FULL_SCAN_INTERVAL_S)
    # written, then the process died before recording it
    await upsert(ProductStore(sweeping.db, point_reads=True), "MISSED-1", at=now_ms() - LONG_AGO)
    assert (await find_lost(sweeping, point_reads=True)).ids == []
    # and one changed just now, equally unrecorded
    await upsert(ProductStore(sweeping.db, point_reads=True), "YOUNG-1")
    # a recorder that failed says so the next time Redis answers
    await pending.record_now(sweeping.redis, [], trust_lost=True)
    found = await find_lost(sweeping, point_reads=True)
    assert (found.ids, found.full_scan) == (["MISSED-1"], True)
    # the young one is left to its task, and recorded for the next sweeps to check
    assert await _score(sweeping.redis, "YOUNG-1") is not None
    # trusted again, until the next full scan is due
    ttl = await sweeping.redis.ttl(pending.EPOCH_KEY)
    assert FULL_SCAN_INTERVAL_S - 60 < ttl <= FULL_SCAN_INTERVAL_S
    assert (await find_lost(sweeping, point_reads=True)).full_scan is False


async def test_without_an_epoch_the_first_sweep_scans_unless_full_scans_are_paused(
    sweeping: Clients,
) -> None:
    # Redis lost its data: no epoch key
    await upsert(ProductStore(sweeping.db, point_reads=True), "GONE-1", at=now_ms() - LONG_AGO)
    await sweeping.redis.set(SWEEP_PAUSE_KEY, 1, px=60_000)
    assert (await find_lost(sweeping, point_reads=True)).full_scan is False
    await sweeping.redis.delete(SWEEP_PAUSE_KEY)
    found = await find_lost(sweeping, point_reads=True)
    assert (found.ids, found.full_scan) == (["GONE-1"], True)


async def test_a_mark_left_by_a_killed_worker_holds_its_id_off_only_for_a_while(
    sweeping: Clients,
) -> None:
    await pending.trust_until_full_scan(sweeping.redis, FULL_SCAN_INTERVAL_S)
    store = ProductStore(sweeping.db, point_reads=True)
    old_ms = (MARK_TRUSTED_S + 5) * 1000
    for product_id, mark, ttl_s in (
        ("QUEUED-NEW", queued_mark, QUEUED_MARK_TTL_S),
        ("QUEUED-OLD", queued_mark, QUEUED_MARK_TTL_S),
        ("SYNCING-OLD", syncing_mark, SYNCING_MARK_TTL_S),
    ):
        await upsert(store, product_id)
        await _record_ago(sweeping.redis, product_id, LONG_AGO)
        # a mark set just now, or one set long ago whose task a killed worker took
        age_ms = old_ms if product_id.endswith("OLD") else 0
        await sweeping.redis.set(mark(product_id), 1, px=ttl_s * 1000 - age_ms)
    found = await find_lost(sweeping, point_reads=True)
    assert sorted(found.ids) == ["QUEUED-OLD", "SYNCING-OLD"]


async def test_the_scan_compares_with_the_index_paced_or_not_and_counts_past_the_limit(
    sweeping: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProductStore(sweeping.db, point_reads=True)
    for n in range(8):
        await upsert(store, f"SCAN-{n}", at=now_ms() - LONG_AGO)
    assert (await sync_products(sweeping, ["SCAN-0", "SCAN-1", "SCAN-7"])).indexed == 3
    # SCAN-7 changes again: the index holds an older version of it
    await upsert(store, "SCAN-7", price=99.0, at=now_ms() - LONG_AGO)
    # pages smaller than the catalog, and a limit below the unsynced count
    monkeypatch.setattr(versions, "PAGE", 2)
    paced, paced_count = await versions.scan_unsynced(sweeping, limit=3, rest_factor=0.1)
    plain, plain_count = await versions.scan_unsynced(sweeping, limit=3)
    assert paced_count == plain_count == 6
    assert len(paced) == len(plain) == 3
    unsynced = {f"SCAN-{n}" for n in (2, 3, 4, 5, 6, 7)}
    assert {doc["_id"] for doc in paced} <= unsynced
    assert {doc["_id"] for doc in plain} <= unsynced


async def test_the_indexer_forgets_only_ids_recorded_before_its_read(spare_redis: Redis) -> None:
    await pending.record_now(spare_redis, ["A", "B"])
    await asyncio.sleep(0.01)
    read_from = (await take_queued(spare_redis, ["A", "B"])).read_from_ms
    await asyncio.sleep(0.01)
    await pending.record_now(
        spare_redis, ["B"]
    )  # changed again after the read: its sync missed that
    assert await pending.forget_synced(spare_redis, ["A", "B"], read_from) == 1
    assert await _score(spare_redis, "A") is None
    assert await _score(spare_redis, "B") is not None


async def test_an_entry_recorded_again_after_the_sweeper_read_it_stays(spare_redis: Redis) -> None:
    await _record_ago(spare_redis, "A", LONG_AGO)
    await _record_ago(spare_redis, "B", LONG_AGO)
    entries = await pending.recorded_before(spare_redis, await pending.clock_ms(spare_redis), 10)
    assert sorted(product_id for product_id, _ in entries) == ["A", "B"]
    await pending.record_now(spare_redis, ["B"])
    assert await pending.forget_unchanged(spare_redis, entries) == 1
    assert await _score(spare_redis, "B") is not None


async def test_recording_keeps_the_latest_time_and_marking_records(spare_redis: Redis) -> None:
    await spare_redis.set(pending.EPOCH_KEY, 1)
    assert await mark_queued(spare_redis, ["A"]) == ["A"]
    first = await _score(spare_redis, "A")
    assert first is not None
    await spare_redis.zadd(pending.PENDING_KEY, {"A": first + 60_000})  # a later change
    assert await mark_queued(spare_redis, ["A"]) == []  # its task is still queued
    assert await _score(spare_redis, "A") == first + 60_000  # never moved back
    assert await pending.trusted(spare_redis)
    await mark_queued(spare_redis, ["C"], trust_lost=True)
    assert not await pending.trusted(spare_redis)


async def test_a_slow_scan_pauses_the_full_scans_for_a_multiple_of_its_time(
    spare_redis: Redis,
) -> None:
    await pause_full_scans_after(spare_redis, 5.0)
    left = await spare_redis.pttl(SWEEP_PAUSE_KEY)
    assert 5_000 * SWEEP_DUTY_FACTOR - 2_000 < left <= 5_000 * SWEEP_DUTY_FACTOR


async def test_a_quick_scan_sets_no_pause(spare_redis: Redis) -> None:
    await pause_full_scans_after(spare_redis, 0.05)
    assert await spare_redis.exists(SWEEP_PAUSE_KEY) == 0


async def test_a_longer_pause_already_set_is_never_shortened(spare_redis: Redis) -> None:
    await spare_redis.set(SWEEP_PAUSE_KEY, 1, px=600_000)  # an operator holding scans off
    await pause_full_scans_after(spare_redis, 5.0)
    assert await spare_redis.pttl(SWEEP_PAUSE_KEY) > 590_000
    await spare_redis.set(SWEEP_PAUSE_KEY, 1, px=1_000)  # a short pause is extended
    await pause_full_scans_after(spare_redis, 5.0)
    assert await spare_redis.pttl(SWEEP_PAUSE_KEY) > 15_000
