"""Finding changes the normal path lost (a lost task, an outage), cheaply and surely.

Every 5 s the sweeper checks the pending set (catalog.pending): the ids
recorded more than the grace period ago are read from MongoDB and from the
index (indexer.versions); those the index does not hold at their stored
version are sent again and the others dropped from the set. That costs a
few point reads and one `mget`.

When the set cannot be trusted (Redis lost its data, a change could not be
recorded, or the full-scan interval has passed) the sweep compares every
product instead, paced (resting as long as each page took, like the audit)
so the writes and index tasks keep most of the database; after it the next
full scans are held off for a multiple of its duration.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pymongo
from elasticsearch.exceptions import TransportError
from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

from catalog import pending
from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.products.storage import Document
from catalog.queue import QUEUED_MARK_TTL_S, SYNCING_MARK_TTL_S, queued_mark, syncing_mark
from indexer import metrics
from indexer.dead_letters import count_dead_letters
from indexer.versions import changed_at, scan_unsynced, unsynced_among

log = logging.getLogger(__name__)

SWEEP_GRACE = timedelta(seconds=3)  # the normal path gets this long before the sweeper helps
SWEEP_LIMIT = 5000
# the scan's own deadline (sent as maxTimeMS): at 200,000 products on FerretDB
# it outlasts a request's socket timeout, and a scan the client gives up on
# goes on inside the server; paced, it takes twice as long as it reads
SWEEP_SCAN_TIMEOUT_S = 600
# the paced scan rests this many times as long as each page took: at most
# half of the database's time goes to it
SWEEP_SCAN_DUTY_FACTOR = 1.0
SWEEP_LOCK = "catalog:lock:sweep"
# short, and renewed while the sweep runs: a sweep whose worker died, or whose release
# was lost to a Redis outage, holds off the next ones for seconds, not for the whole
# scan timeout (the lock is kept with Redis's data across a restart)
SWEEP_LOCK_TIMEOUT_S = 30
SWEEP_LOCK_RENEW_S = 10
SWEPT_PREFIX = "catalog:swept:"
RESWEEP_AFTER_S = 60
SWEEP_PAUSE_KEY = "catalog:sweep:paused"
SWEEP_DUTY_FACTOR = 4
# a queued or syncing mark holds its id off the sweeper for this long at most:
# the messages a killed worker had taken stay in the broker, unacknowledged, for
# its visibility timeout (an hour), and their marks for minutes. Index tasks now
# take a second or two and their queue drains within a minute even during a
# 100,000-product import, so an older mark is more likely lost than waiting;
# its id is sent again (at most once per RESWEEP_AFTER_S: writes are idempotent)
MARK_TRUSTED_S = 60


@dataclass(frozen=True)
class Sweep:
    """What one sweep found: the ids to send again, and how it looked."""

    ids: list[str]
    full_scan: bool = False
    checked: int = 0


async def find_lost(clients: Clients, point_reads: bool) -> Sweep:
    """The unsynced products to send again (none while another sweep runs)."""
    redis = clients.redis
    # one sweep at a time: a slow scan must not pile sweeps up
    lock = redis.lock(SWEEP_LOCK, timeout=SWEEP_LOCK_TIMEOUT_S)
    if not await lock.acquire(blocking=False):
        return Sweep([])
    renewing = asyncio.create_task(_renew(lock), name="sweep-lock-renewal")
    try:
        if await pending.trusted(redis) or await redis.exists(SWEEP_PAUSE_KEY):
            found = await _check_pending(clients, point_reads)
        else:
            found = await _scan_all(clients)
        return Sweep(await _not_recently_swept(redis, found.ids), found.full_scan, found.checked)
    except TransportError as exc:
        # the index cannot tell what it holds; nothing sent now would be written
        # either, and the next sweep after it is back finds everything
        log.warning("sweep skipped: the index cannot be asked", extra={"error": repr(exc)})
        return Sweep([])
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing
        with contextlib.suppress(LockError):  # lapsed while a renewal failed: nothing to free
            await lock.release()


async def _renew(lock: Lock) -> None:
    """Keep the sweep's lock alive while it runs (a failed renewal is retried next time)."""
    while True:
        await asyncio.sleep(SWEEP_LOCK_RENEW_S)
        with contextlib.suppress(RedisError, LockError):
            await lock.reacquire()


async def _check_pending(clients: Clients, point_reads: bool) -> Sweep:
    redis = clients.redis
    now_redis_ms = await pending.clock_ms(redis)
    cutoff_ms = now_redis_ms - int(SWEEP_GRACE.total_seconds() * 1000)
    recorded = await pending.recorded_before(redis, cutoff_ms, SWEEP_LIMIT * 4)
    # an id with a queued mark waits in a task that has not started yet: when
    # a backlog builds up, sending it again would only lengthen the queue
    entries = (await _not_queued(redis, recorded))[:SWEEP_LIMIT]
    unsynced = await unsynced_among(
        clients, [product_id for product_id, _ in entries], point_reads=point_reads
    )
    dirty = {doc["_id"] for doc in unsynced}
    # synced (or gone) since: drop them, unless changed again meanwhile
    await pending.forget_unchanged(redis, [e for e in entries if e[0] not in dirty])
    count, oldest_ms = await pending.level(redis)
    ages = _ages(unsynced)
    if oldest_ms is not None:
        ages.append(max(0.0, (now_redis_ms - oldest_ms) / 1000))
    await _publish_levels(clients, count, max(ages, default=0.0))
    return Sweep([doc["_id"] for doc in unsynced], checked=len(entries))


async def _not_queued(redis: Redis, entries: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The entries no index task holds: neither waiting in the queue nor being synced,
    as far as marks younger than MARK_TRUSTED_S tell (see there)."""
    if not entries:
        return []
    async with redis.pipeline(transaction=False) as pipe:
        for product_id, _ in entries:
            pipe.pttl(queued_mark(product_id))
            pipe.pttl(syncing_mark(product_id))
        left_ms = await pipe.execute()
    queued, syncing = left_ms[0::2], left_ms[1::2]
    held = [
        _trusted(q, QUEUED_MARK_TTL_S) or _trusted(s, SYNCING_MARK_TTL_S)
        for q, s in zip(queued, syncing, strict=True)
    ]
    return [entry for entry, waiting in zip(entries, held, strict=True) if not waiting]


def _trusted(left_ms: int, ttl_s: int) -> bool:
    """Whether a mark with `left_ms` to live (negative: none) was set recently enough."""
    return left_ms >= 0 and ttl_s * 1000 - left_ms < MARK_TRUSTED_S * 1000


async def _scan_all(clients: Clients) -> Sweep:
    redis = clients.redis
    started = time.monotonic()
    # from here on every change is in the pending set or seen by this scan
    await pending.trust_until_full_scan(redis, clients.settings.sweep_full_interval_s)
    try:
        now = now_ms()
        with pymongo.timeout(SWEEP_SCAN_TIMEOUT_S):
            unsynced, count = await scan_unsynced(
                clients, limit=SWEEP_LIMIT, rest_factor=SWEEP_SCAN_DUTY_FACTOR
            )
    except BaseException:
        await redis.delete(pending.EPOCH_KEY)  # the scan did not finish: scan again
        raise
    finally:
        await pause_full_scans_after(redis, time.monotonic() - started)
    # those within the grace are checked by the next sweeps; beyond the
    # limit, the next full scan finds the rest
    await pending.record_now(
        redis, [doc["_id"] for doc in unsynced], trust_lost=count > len(unsynced)
    )
    await _publish_levels(clients, count, max(_ages(unsynced), default=0.0))
    cutoff = now - SWEEP_GRACE
    ids = [doc["_id"] for doc in unsynced if (changed_at(doc) or now) < cutoff]
    return Sweep(ids, full_scan=True, checked=len(unsynced))


def _ages(unsynced: list[Document]) -> list[float]:
    """Seconds since each unsynced product last changed."""
    now = now_ms()
    return [(now - when).total_seconds() for doc in unsynced if (when := changed_at(doc))]


async def _not_recently_swept(redis: Redis, candidates: list[str]) -> list[str]:
    """An id sent by a recent sweep is most likely still queued: do not pile it up."""
    if not candidates:
        return []
    async with redis.pipeline(transaction=False) as pipe:
        for product_id in candidates:
            pipe.set(f"{SWEPT_PREFIX}{product_id}", 1, nx=True, ex=RESWEEP_AFTER_S)
        fresh = await pipe.execute()
    return [pid for pid, new in zip(candidates, fresh, strict=True) if new]


async def pause_full_scans_after(redis: Redis, took_s: float) -> None:
    """Keep the full scans' share of the database small when they are slow.

    On MongoDB the scan is an index lookup; on a server that scans (FerretDB)
    the next full scans are held off for SWEEP_DUTY_FACTOR times the scan's
    duration (the pending set is checked meanwhile), so they never take more
    than a fifth of the database's time. A longer pause already set (by an
    operator, or by a slower scan) is kept, never shortened.
    """
    pause_ms = int(took_s * SWEEP_DUTY_FACTOR * 1000)
    if pause_ms > SWEEP_GRACE.total_seconds() * 1000:
        async with redis.pipeline(transaction=True) as pipe:
            pipe.set(SWEEP_PAUSE_KEY, 1, px=pause_ms, nx=True)
            pipe.pexpire(SWEEP_PAUSE_KEY, pause_ms, gt=True)
            await pipe.execute()


async def _publish_levels(clients: Clients, count: int, oldest_s: float) -> None:
    """Pending changes and dead letters, for the metrics endpoint."""
    await metrics.publish_snapshot(
        clients.redis,
        pending=count,
        oldest_pending_age_s=oldest_s,
        dead_letters=await count_dead_letters(clients),
    )


def sweep_summary(found: Sweep) -> dict[str, Any]:
    """The fields of the sweeper's log line."""
    return {"count": len(found.ids), "full_scan": found.full_scan, "checked": found.checked}
