"""Index tasks: sync products to Elasticsearch, sweep up lost changes, publish fresh results."""

from __future__ import annotations

import contextlib
import logging
import random
from typing import Any

from celery import Task
from redis.exceptions import RedisError

from catalog import carried, pending
from catalog.clients import Clients
from catalog.queue import (
    INDEX_PRODUCTS_TASK,
    INDEX_QUEUE,
    SYNCING_MARK_TTL_S,
    release_syncing,
    take_queued,
)
from indexer import metrics
from indexer.freshness import publish_changes, trailing_advance
from indexer.sweep import SWEEP_SCAN_TIMEOUT_S, find_lost, sweep_summary
from indexer.sync import SyncResult, sync_products
from workers import runtime
from workers.celery_app import app, schedule_every, task_name

log = logging.getLogger(__name__)
SWEEP_TASK = task_name(__name__, "sweep")
SWEEP_INTERVAL_S = 5.0
ADVANCE_TASK = task_name(__name__, "advance_cache_generation")
SWEEP_BATCH = 500
# retries of one task for the products it could not write; beyond them the
# products stay unsynced and the sweeper sends them again
MAX_TASK_RETRIES = 8


def retry_delay_s(retries: int) -> float:
    """Exponential backoff with full jitter: 1, 2, 4 … s, capped, randomised."""
    ceiling = min(runtime.RETRY_BACKOFF_MAX_S, 2.0**retries)
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 (jitter, not secrecy)


def _schedule_trailing_advance(wait_ms: int | None) -> None:
    if wait_ms is not None:
        advance_cache_generation.apply_async(countdown=wait_ms / 1000, queue=INDEX_QUEUE)


@app.task(
    name=INDEX_PRODUCTS_TASK,
    bind=True,
    **runtime.OUTAGE_RETRIED,
    max_retries=MAX_TASK_RETRIES,
    soft_time_limit=120,
    time_limit=SYNCING_MARK_TTL_S,
)
def index_products(
    self: Task[Any, Any], product_ids: list[str], states: dict[str, Any] | None = None
) -> dict[str, int]:
    """Bring these products into Elasticsearch, from the states carried or MongoDB."""
    carried_versions = {i: carried.version_of(state) for i, state in (states or {}).items()}

    async def work(clients: Clients, point_reads: bool) -> tuple[SyncResult, int | None]:
        trailing: int | None = None
        clock = metrics.PhaseClock()

        async def publish(written: SyncResult) -> None:
            nonlocal trailing
            clock.done("write")
            # searchable and uncached first; the failure records after
            if written.changed:
                trailing = await publish_changes(clients)
            clock.done("publish")

        # marks go first: a change after this point sends a new task, and a
        # change before it is in the state read below
        taken = await take_queued(clients.redis, product_ids)
        try:
            result = await sync_products(
                clients,
                product_ids,
                point_reads=point_reads,
                on_written=publish,
                states=states,
                read_back=taken.newer_than_carried(carried_versions),
            )
            clock.done("settle")
            retry = set(result.to_retry)
            with contextlib.suppress(RedisError):  # the sweeper checks what stays
                await pending.forget_synced(
                    clients.redis, [i for i in product_ids if i not in retry], taken.read_from_ms
                )
        finally:
            with contextlib.suppress(RedisError):  # else they expire
                await release_syncing(clients.redis, product_ids)
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
    metrics.record_sync(outcomes, result.changed_at, read_back=result.read_back)
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
    found = runtime.run(find_lost)
    ids = found.ids
    for start in range(0, len(ids), SWEEP_BATCH):
        index_products.apply_async((ids[start : start + SWEEP_BATCH],), queue=INDEX_QUEUE)
    if ids or found.full_scan:
        log.info("swept unsynced products", extra=sweep_summary(found))
    return len(ids)


schedule_every(SWEEP_INTERVAL_S, SWEEP_TASK)
