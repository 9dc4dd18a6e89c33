"""Index tasks: sync products to Elasticsearch, and sweep up changes whose task was lost."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import Task

from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.products.storage import PRODUCTS
from catalog.queue import INDEX_PRODUCTS_TASK, INDEX_QUEUE
from indexer.sync import SyncResult, sync_products
from workers import runtime
from workers.celery_app import app

log = logging.getLogger(__name__)
SWEEP_TASK = "indexer.sweep"
SWEEP_GRACE = timedelta(seconds=3)  # the normal path gets this long before the sweeper helps
SWEEP_LIMIT = 5000
SWEEP_BATCH = 500
SWEEP_LOCK = "catalog:lock:sweep"
SWEEP_LOCK_TIMEOUT_S = 120
SWEPT_PREFIX = "catalog:swept:"
RESWEEP_AFTER_S = 60


@app.task(
    name=INDEX_PRODUCTS_TASK,
    bind=True,
    # the outcome is in the worker's log line; storing it would make every task
    # depend on Redis as a result backend too (a worker storing a result while
    # Redis restarts is what crashed it)
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(ConnectionError, OSError),
    retry_backoff=True,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=None,
    soft_time_limit=120,
    time_limit=180,
)
def index_products(self: Task[Any, Any], product_ids: list[str]) -> dict[str, int]:
    """Bring these products' current state into Elasticsearch."""
    result: SyncResult = runtime.run(
        lambda clients, point_reads: sync_products(clients, product_ids, point_reads=point_reads)
    )
    if result.failed:
        log.warning("products not indexed", extra={"failed": result.failed})
    return {
        "indexed": result.indexed,
        "deleted": result.deleted,
        "already_newer": result.already_newer,
        "missing": result.missing,
        "failed": len(result.failed),
    }


@app.task(name=SWEEP_TASK, ignore_result=True, soft_time_limit=60, time_limit=90)
def sweep() -> int:
    """Re-enqueue products changed a while ago and still unsynced (lost task, outage)."""

    async def pending(clients: Clients, _: bool) -> list[str]:
        # one sweep at a time: a slow scan must not pile sweeps up
        lock = clients.redis.lock(SWEEP_LOCK, timeout=SWEEP_LOCK_TIMEOUT_S)
        if not await lock.acquire(blocking=False):
            return []
        try:
            cutoff = now_ms() - SWEEP_GRACE
            cursor = clients.db[PRODUCTS].find({"dirty_since": {"$lt": cutoff}}, {"_id": 1})
            candidates = [doc["_id"] async for doc in cursor.limit(SWEEP_LIMIT)]
            # an id sent by a recent sweep is most likely still queued: do not pile it up
            async with clients.redis.pipeline(transaction=False) as pipe:
                for product_id in candidates:
                    pipe.set(f"{SWEPT_PREFIX}{product_id}", 1, nx=True, ex=RESWEEP_AFTER_S)
                fresh = await pipe.execute()
            return [pid for pid, new in zip(candidates, fresh, strict=True) if new]
        finally:
            await lock.release()

    ids = runtime.run(pending)
    for start in range(0, len(ids), SWEEP_BATCH):
        index_products.apply_async((ids[start : start + SWEEP_BATCH],), queue=INDEX_QUEUE)
    if ids:
        log.info("swept unsynced products", extra={"count": len(ids)})
    return len(ids)
