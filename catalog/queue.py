"""Sending index tasks from the asyncio APIs without ever blocking or failing a write.

Product ids are collected for a few milliseconds and sent as one task per
batch, from a worker thread (Celery's producer is synchronous). When Redis is
down a send fails fast and is dropped: the products stay marked unsynced in
MongoDB and the indexer's sweeper enqueues them again.

Bursts of changes to one product are coalesced: an id already waiting in a
queued task is not sent again. A Redis mark per queued id says so; the task
removes its marks before it reads MongoDB, so any change after that read
sends a new task, and any change before it is included in that read.

In the same round trip each id is recorded as pending (catalog.pending), the
short list the sweeper checks instead of scanning every product.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable

from celery import Celery
from prometheus_client import Counter
from redis.asyncio import Redis
from redis.exceptions import RedisError

from catalog import pending
from catalog.settings import Settings

INDEX_PRODUCTS_TASK = "indexer.index_products"
INDEX_QUEUE = "indexing"

QUEUED_PREFIX = "catalog:queued:"
# a mark outlives any normal queue wait; if its task is lost, the sweeper resends
QUEUED_MARK_TTL_S = 300
# after a failed recording, how often an idle publisher tries to tell the sweeper
REPORT_LOST_TRUST_EVERY_S = 1.0

log = logging.getLogger(__name__)
COALESCED = Counter(
    "catalog_index_ids_coalesced_total", "Product ids not sent because a queued task holds them"
)
ENQUEUED = Counter("catalog_index_ids_enqueued_total", "Product ids sent in index tasks")
ENQUEUE_FAILED = Counter(
    "catalog_index_ids_enqueue_failed_total",
    "Product ids not sent (broker down or queue full); the sweeper catches them up",
    ["reason"],
)


async def mark_queued(
    redis: Redis, product_ids: list[str], *, trust_lost: bool = False
) -> list[str]:
    """Record these ids as pending; return those no queued task holds yet, now marked.

    `trust_lost` says an earlier recording failed, so the pending set may miss
    changes (see catalog.pending). Raises RedisError when Redis fails.
    """
    if not product_ids and not trust_lost:
        return []
    async with redis.pipeline(transaction=False) as pipe:
        pending.record(pipe, product_ids, trust_lost=trust_lost)
        for product_id in product_ids:
            pipe.set(f"{QUEUED_PREFIX}{product_id}", 1, nx=True, ex=QUEUED_MARK_TTL_S)
        answers = await pipe.execute()
    fresh = answers[len(answers) - len(product_ids) :]
    return [pid for pid, new in zip(product_ids, fresh, strict=True) if new]


def _marks(product_ids: list[str]) -> list[str]:
    return [f"{QUEUED_PREFIX}{product_id}" for product_id in product_ids]


async def unmark_queued(redis: Redis, product_ids: list[str]) -> None:
    """Not queued after all (the send failed): the next change must send a task."""
    if product_ids:
        await redis.delete(*_marks(product_ids))


async def take_queued(redis: Redis, product_ids: list[str]) -> int:
    """A task starting: unmark its ids and return Redis's clock (ms) before it reads MongoDB.

    A change after this needs a new task; an id recorded from this time on may
    hold a change the task's read does not see.
    """
    async with redis.pipeline(transaction=False) as pipe:
        if product_ids:
            pipe.delete(*_marks(product_ids))
        pipe.time()
        *_, now = await pipe.execute()
    return pending.as_ms(now)


def producer_app(settings: Settings) -> Celery:
    """A Celery app used only to publish, with fast-failing broker connections."""
    app = Celery("catalog-producer", broker=settings.celery_broker_url)
    app.conf.update(
        task_serializer="json",
        broker_connection_timeout=settings.dependency_timeout_s,
        broker_connection_retry=False,
        broker_connection_max_retries=0,
        broker_transport_options={
            "socket_connect_timeout": settings.dependency_timeout_s,
            "socket_timeout": settings.dependency_timeout_s,
        },
    )
    return app


class TaskPublisher:
    """Batches product ids into index tasks and sends them in the background."""

    def __init__(self, settings: Settings, redis: Redis | None = None) -> None:
        self._app = producer_app(settings)
        self._redis = redis
        self._batch_size = settings.enqueue_batch_size
        self._linger_s = settings.enqueue_linger_ms / 1000
        self._pending: asyncio.Queue[str] = asyncio.Queue(settings.enqueue_max_pending)
        self._runner: asyncio.Task[None] | None = None
        self._record_failed = False

    def start(self) -> None:
        """Start the background sender (call inside the running event loop)."""
        self._runner = asyncio.create_task(self._run(), name="task-publisher")

    def enqueue(self, product_ids: Iterable[str]) -> None:
        """Queue ids for indexing; never blocks, never raises."""
        for product_id in product_ids:
            try:
                self._pending.put_nowait(product_id)
            except asyncio.QueueFull:
                ENQUEUE_FAILED.labels("queue_full").inc()
                self._record_failed = True  # not in the pending set either

    async def stop(self, drain_s: float = 5.0) -> None:
        """Send what is queued (bounded in time), then stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._pending.join(), drain_s)
        if (self._record_failed or not self._pending.empty()) and self._redis is not None:
            # changes this process leaves unrecorded: the sweeper scans in full
            with contextlib.suppress(RedisError):
                await self._redis.delete(pending.EPOCH_KEY)
        if self._runner:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner

    async def _next_batch(self) -> list[str]:
        """The next ids to send; none when a failed recording is due to be reported."""
        if self._record_failed and self._redis is not None:
            try:
                first = await asyncio.wait_for(self._pending.get(), REPORT_LOST_TRUST_EVERY_S)
            except TimeoutError:
                return []
        else:
            first = await self._pending.get()
        batch = [first]
        deadline = asyncio.get_running_loop().time() + self._linger_s
        while len(batch) < self._batch_size:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            try:
                batch.append(await asyncio.wait_for(self._pending.get(), remaining))
            except TimeoutError:
                break
        return batch

    async def _run(self) -> None:
        while True:
            batch = await self._next_batch()
            try:
                ids = list(dict.fromkeys(batch))
                if self._redis is not None:
                    ids = await self._mark(self._redis, ids)
                sent = not ids or await asyncio.to_thread(self._send, ids)
                if not sent and self._redis is not None:
                    # not queued after all: the next change must try again
                    with contextlib.suppress(RedisError):
                        await unmark_queued(self._redis, ids)
            finally:
                for _ in batch:
                    self._pending.task_done()

    async def _mark(self, redis: Redis, ids: list[str]) -> list[str]:
        try:
            fresh = await mark_queued(redis, ids, trust_lost=self._record_failed)
        except RedisError:
            # these changes are not in the pending set: once Redis answers
            # again the sweeper is told to scan MongoDB in full
            self._record_failed = True
            return ids  # the send will tell whether the broker is there
        self._record_failed = False
        COALESCED.inc(len(ids) - len(fresh))
        return fresh

    def _send(self, product_ids: list[str]) -> bool:
        try:
            self._app.send_task(
                INDEX_PRODUCTS_TASK, args=[product_ids], queue=INDEX_QUEUE, retry=False
            )
            ENQUEUED.inc(len(product_ids))
            return True
        except Exception as exc:  # the broker being away must not affect writes
            ENQUEUE_FAILED.labels("broker").inc(len(product_ids))
            log.warning("index task not sent", extra={"ids": len(product_ids), "error": repr(exc)})
            return False
