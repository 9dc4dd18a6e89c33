"""Index tasks: sync products to Elasticsearch, sweep up lost changes, publish fresh results."""

from __future__ import annotations

import logging
import random
import time
from datetime import timedelta
from typing import Any

import pymongo
from celery import Task
from redis.asyncio import Redis

from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.outages import OUTAGE_ERRORS
from catalog.products.storage import PRODUCTS
from catalog.queue import INDEX_PRODUCTS_TASK, INDEX_QUEUE, unmark_queued
from indexer import metrics
from indexer.dead_letters import count_dead_letters
from indexer.freshness import publish_changes, trailing_advance
from indexer.status import count_products
from indexer.sync import SyncResult, sync_products
from workers import runtime
from workers.celery_app import app

log = logging.getLogger(__name__)
SWEEP_TASK = "indexer.sweep"
ADVANCE_TASK = "indexer.advance_cache_generation"
SWEEP_GRACE = timedelta(seconds=3)  # the normal path gets this long before the sweeper helps
SWEEP_LIMIT = 5000
SWEEP_BATCH = 500
SWEEP_LOCK = "catalog:lock:sweep"
# a server without an index on dirty_since (FerretDB) scans every product: at
# 200,000 products that outlasts a request's socket timeout, and a scan the
# client gives up on goes on inside the server; so the scan gets its own,
# longer deadline (sent as maxTimeMS) and the pause below keeps it rare
SWEEP_SCAN_TIMEOUT_S = 240
SWEEP_LOCK_TIMEOUT_S = SWEEP_SCAN_TIMEOUT_S + 60
SWEPT_PREFIX = "catalog:swept:"
RESWEEP_AFTER_S = 60
SWEEP_PAUSE_KEY = "catalog:sweep:paused"
SWEEP_DUTY_FACTOR = 4
# retries of one task for the products it could not write; beyond them the
# products stay unsynced and the sweeper sends them again
MAX_TASK_RETRIES = 8
RETRY_BACKOFF_MAX_S = 60


def retry_delay_s(retries: int) -> float:
    """Exponential backoff with full jitter: 1, 2, 4 … s, capped, randomised."""
    ceiling = min(RETRY_BACKOFF_MAX_S, 2.0**retries)
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 (jitter, not secrecy)


def _schedule_trailing_advance(wait_ms: int | None) -> None:
    if wait_ms is not None:
        advance_cache_generation.apply_async(countdown=wait_ms / 1000, queue=INDEX_QUEUE)


@app.task(
    name=INDEX_PRODUCTS_TASK,
    bind=True,
    # the outcome is in the worker's log line; storing it would make every task
    # depend on Redis as a result backend too (a worker storing a result while
    # Redis restarts is what crashed it)
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # MongoDB, Elasticsearch or Redis away: the whole task tries again later
    autoretry_for=OUTAGE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX_S,
    retry_jitter=True,
    max_retries=MAX_TASK_RETRIES,
    soft_time_limit=120,
    time_limit=180,
)
def index_products(self: Task[Any, Any], product_ids: list[str]) -> dict[str, int]:
    """Bring these products' current state into Elasticsearch."""

    async def work(clients: Clients, point_reads: bool) -> tuple[SyncResult, int | None]:
        # marks go first: a change after this point sends a new task, and a
        # change before it is in the state read below
        await unmark_queued(clients.redis, product_ids)
        result = await sync_products(clients, product_ids, point_reads=point_reads)
        trailing = await publish_changes(clients) if result.changed else None
        return result, trailing

    result, trailing = runtime.run(work)
    _schedule_trailing_advance(trailing)
    outcomes = {
        "indexed": result.indexed,
        "deleted": result.deleted,
        "already_newer": result.already_newer,
        "missing": result.missing,
        "rejected": len(result.rejected),
        "unavailable": len(result.unavailable),
        "dead_lettered": len(result.dead_lettered),
    }
    metrics.record_sync(outcomes, result.changed_at)
    if result.failed:
        log.warning(
            "products not indexed",
            extra={"failed": result.failed, "dead_lettered": result.dead_lettered},
        )
    retry = result.to_retry
    if retry and self.request.retries < MAX_TASK_RETRIES:
        # only the products that failed go round again; the others are done
        raise self.retry(
            args=(retry,), countdown=retry_delay_s(self.request.retries), max_retries=None
        )
    return outcomes


@app.task(name=ADVANCE_TASK, ignore_result=True, soft_time_limit=30, time_limit=60)
def advance_cache_generation() -> None:
    """The trailing edge: publish the batches that arrived within the last interval."""
    _schedule_trailing_advance(runtime.run(lambda clients, _: trailing_advance(clients)))


@app.task(
    name=SWEEP_TASK,
    ignore_result=True,
    soft_time_limit=SWEEP_SCAN_TIMEOUT_S + 30,
    time_limit=SWEEP_SCAN_TIMEOUT_S + 60,
)
def sweep() -> int:
    """Re-enqueue products changed a while ago and still unsynced (lost task, outage)."""

    async def pending(clients: Clients, _: bool) -> list[str]:
        # one sweep at a time: a slow scan must not pile sweeps up
        lock = clients.redis.lock(SWEEP_LOCK, timeout=SWEEP_LOCK_TIMEOUT_S)
        if not await lock.acquire(blocking=False):
            return []
        started = time.monotonic()
        try:
            if await clients.redis.exists(SWEEP_PAUSE_KEY):
                return []
            now = now_ms()
            with pymongo.timeout(SWEEP_SCAN_TIMEOUT_S):
                # unsorted: a server without an index on dirty_since (FerretDB) can
                # stop at the limit instead of sorting every unsynced product
                cursor = clients.db[PRODUCTS].find(
                    {"dirty_since": {"$exists": True}}, {"dirty_since": 1}
                )
                unsynced = [doc async for doc in cursor.limit(SWEEP_LIMIT)]
                await _publish_levels(clients, unsynced, now)
            cutoff = now - SWEEP_GRACE
            candidates = [doc["_id"] for doc in unsynced if doc["dirty_since"] < cutoff]
            if not candidates:
                return []
            # an id sent by a recent sweep is most likely still queued: do not pile it up
            async with clients.redis.pipeline(transaction=False) as pipe:
                for product_id in candidates:
                    pipe.set(f"{SWEPT_PREFIX}{product_id}", 1, nx=True, ex=RESWEEP_AFTER_S)
                fresh = await pipe.execute()
            return [pid for pid, new in zip(candidates, fresh, strict=True) if new]
        finally:
            await pause_sweeps_after(clients.redis, time.monotonic() - started)
            await lock.release()

    ids = runtime.run(pending)
    for start in range(0, len(ids), SWEEP_BATCH):
        index_products.apply_async((ids[start : start + SWEEP_BATCH],), queue=INDEX_QUEUE)
    if ids:
        log.info("swept unsynced products", extra={"count": len(ids)})
    return len(ids)


async def pause_sweeps_after(redis: Redis, took_s: float) -> None:
    """Keep the sweeper's share of the database small when its scan is slow.

    On MongoDB the scan is an index lookup and the sweeper runs every 5 s; on
    a server that scans (FerretDB) the next sweeps are skipped for
    SWEEP_DUTY_FACTOR times the scan's duration, so sweeping never takes more
    than a fifth of the database's time. A longer pause already set (by an
    operator, or by a slower scan) is kept, never shortened.
    """
    pause_ms = int(took_s * SWEEP_DUTY_FACTOR * 1000)
    if pause_ms > SWEEP_GRACE.total_seconds() * 1000:
        async with redis.pipeline(transaction=True) as pipe:
            pipe.set(SWEEP_PAUSE_KEY, 1, px=pause_ms, nx=True)
            pipe.pexpire(SWEEP_PAUSE_KEY, pause_ms, gt=True)
            await pipe.execute()


async def _publish_levels(clients: Clients, unsynced: list[dict[str, Any]], now: Any) -> None:
    """Pending changes and dead letters, for the metrics endpoint."""
    pending = len(unsynced)
    if pending >= SWEEP_LIMIT:  # more than one sweep takes: count them all
        pending = await count_products(clients, {"dirty_since": {"$exists": True}})
    # the oldest of those seen: exact unless more than a sweep's limit are pending
    oldest = max(((now - d["dirty_since"]).total_seconds() for d in unsynced), default=0.0)
    await metrics.publish_snapshot(
        clients.redis,
        pending=pending,
        oldest_pending_age_s=oldest,
        dead_letters=await count_dead_letters(clients),
    )
