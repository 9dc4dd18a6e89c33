"""Sending index tasks from the asyncio APIs without ever blocking or failing a write.

Product ids are collected for a few milliseconds and sent as one task per
batch, from a worker thread (Celery's producer is synchronous). When Redis is
down a send fails fast and is dropped: the products stay marked unsynced in
MongoDB and the indexer's sweeper enqueues them again.

A task carries the state each write left (catalog.carried), so the indexer
reads back from MongoDB only the ids sent without one.

Bursts of changes to one product are coalesced: an id already waiting in a
queued task is not sent again. A Redis mark per queued id says so, and holds
the version that task carries; a coalesced change raises it, and the task,
which takes its marks before it reads anything, reads back the ids whose mark
is above what it carries. Any change after that sends a new task.

In the same round trip each id is recorded as pending (catalog.pending), the
short list the sweeper checks instead of scanning every product.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from celery import Celery
from prometheus_client import Counter
from redis.asyncio import Redis
from redis.exceptions import RedisError

from catalog import carried, pending
from catalog.products.storage import Document
from catalog.settings import Settings

# named as every task is (workers.celery_app.task_name); the APIs send it without
# importing the workers
INDEX_PRODUCTS_TASK = "workers.tasks.indexing.index_products"
INDEX_QUEUE = "indexing"
# thumbnails of an uploaded image, on a queue and worker of their own, so image
# work never delays index tasks
THUMBNAILS_TASK = "workers.tasks.images.make_thumbnails"
IMAGES_QUEUE = "images"

QUEUED_PREFIX = "catalog:queued:"
# held by a running index task for each of its ids, so the sweeper does not send
# again what is being synced (on a busy FerretDB a task can take many seconds);
# it lasts as long as the task's hard time limit, so a dead worker's marks expire
SYNCING_PREFIX = "catalog:syncing:"
SYNCING_MARK_TTL_S = 180
# a mark outlives any normal queue wait; if its task is lost, the sweeper resends
QUEUED_MARK_TTL_S = 300
# after a failed recording, how often an idle publisher tries to tell the sweeper
REPORT_LOST_TRUST_EVERY_S = 1.0

log = logging.getLogger(__name__)
COALESCED = Counter(
    "catalog_index_ids_coalesced_total", "Product ids not sent because a queued task holds them"
)
ENQUEUED = Counter("catalog_index_ids_enqueued_total", "Product ids sent in index tasks")
CARRIED = Counter(
    "catalog_index_states_carried_total",
    "Product ids sent with the state their write left (the indexer reads none back)",
)
ENQUEUE_FAILED = Counter(
    "catalog_index_ids_enqueue_failed_total",
    "Product ids not sent (broker down or queue full); the sweeper catches them up",
    ["reason"],
)


# a queued mark holds the version the queued task carries; READ_BACK says
# "read MongoDB": a change without a carried state, or newer than the carried one
READ_BACK = 2**62
# KEYS: the marks; ARGV[1]: their ttl; ARGV[i + 1]: the version for KEYS[i].
# A new mark makes its id fresh (to be sent); an existing one is raised, so the
# task already queued knows its carried state is no longer the newest.
_MARK = """
local fresh = {}
for i = 1, #KEYS do
    local held = redis.call('GET', KEYS[i])
    if not held then
        redis.call('SET', KEYS[i], ARGV[i + 1], 'EX', ARGV[1])
        fresh[#fresh + 1] = i - 1
    elseif tonumber(ARGV[i + 1]) > (tonumber(held) or 0) then
        redis.call('SET', KEYS[i], ARGV[i + 1], 'KEEPTTL')
    end
end
return fresh
"""


async def mark_queued(
    redis: Redis,
    product_ids: list[str],
    *,
    versions: Mapping[str, int] | None = None,
    trust_lost: bool = False,
) -> list[str]:
    """Record these ids as pending; return those no queued task holds yet, now marked.

    `versions` holds the version of each id whose task carries its state;
    the others are marked for a read from MongoDB. `trust_lost` says an
    earlier recording failed, so the pending set may miss changes (see
    catalog.pending). Raises RedisError when Redis fails.
    """
    if not product_ids and not trust_lost:
        return []
    carried = versions or {}
    async with redis.pipeline(transaction=False) as pipe:
        pending.record(pipe, product_ids, trust_lost=trust_lost)
        if product_ids:
            marks = [carried.get(product_id, READ_BACK) for product_id in product_ids]
            pipe.eval(_MARK, len(product_ids), *_marks(product_ids), QUEUED_MARK_TTL_S, *marks)
        answers = await pipe.execute()
    fresh = answers[-1] if product_ids else []
    return [product_ids[int(i)] for i in fresh]


def queued_mark(product_id: str) -> str:
    """The key saying a queued task holds this id (and which version it carries)."""
    return f"{QUEUED_PREFIX}{product_id}"


def syncing_mark(product_id: str) -> str:
    """The key saying a running task is syncing this id."""
    return f"{SYNCING_PREFIX}{product_id}"


def _marks(product_ids: list[str]) -> list[str]:
    return [queued_mark(product_id) for product_id in product_ids]


async def unmark_queued(redis: Redis, product_ids: list[str]) -> None:
    """Not queued after all (the send failed): the next change must send a task."""
    if product_ids:
        await redis.delete(*_marks(product_ids))


@dataclass(frozen=True, slots=True)
class Taken:
    """A task's marks, taken as it starts."""

    read_from_ms: int  # Redis's clock before the task reads anything
    marks: dict[str, int]  # id -> the version its mark held (ids without a mark absent)

    def newer_than_carried(self, carried: Mapping[str, int]) -> set[str]:
        """Ids changed again after their carried state was sent: to be read back."""
        return {i for i, version in carried.items() if self.marks.get(i, 0) > version}


async def take_queued(redis: Redis, product_ids: list[str]) -> Taken:
    """A task starting: take its ids' queued marks, hold syncing marks, and read Redis's
    clock (ms) before it reads MongoDB.

    A change after this needs a new task; an id recorded from this time on may
    hold a change the task's read does not see.
    """
    async with redis.pipeline(transaction=False) as pipe:
        for mark in _marks(product_ids):
            pipe.getdel(mark)
        for product_id in product_ids:
            pipe.set(syncing_mark(product_id), 1, ex=SYNCING_MARK_TTL_S)
        pipe.time()
        *held, now = await pipe.execute()
    marks = {
        product_id: int(value)
        for product_id, value in zip(product_ids, held[: len(product_ids)], strict=True)
        if value is not None
    }
    return Taken(pending.as_ms(now), marks)


async def release_syncing(redis: Redis, product_ids: list[str]) -> None:
    """A task done with these ids: the sweeper may check them again."""
    if product_ids:
        await redis.delete(*(syncing_mark(product_id) for product_id in product_ids))


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
        # the newest state known for an id waiting in `_pending` (at most one per id)
        self._states: dict[str, Document] = {}
        # ids waiting in `_pending` that some change sent without a state
        self._read_back: set[str] = set()
        self._runner: asyncio.Task[None] | None = None
        self._record_failed = False

    async def send_thumbnails(self, product_id: str, image_id: str) -> bool:
        """Ask the workers for an uploaded image's thumbnails; never raises. Lost (the
        broker away), the periodic thumbnail sweep finds the image without them."""
        try:
            await asyncio.to_thread(
                self._app.send_task,
                THUMBNAILS_TASK,
                args=[product_id, image_id],
                queue=IMAGES_QUEUE,
                retry=False,
            )
            return True
        except Exception as exc:  # the broker being away must not affect the upload
            log.warning("thumbnail task not sent", extra={"id": product_id, "error": repr(exc)})
            return False

    def start(self) -> None:
        """Start the background sender (call inside the running event loop)."""
        self._runner = asyncio.create_task(self._run(), name="task-publisher")

    def enqueue(
        self, product_ids: Iterable[str], states: Mapping[str, Document] | None = None
    ) -> None:
        """Queue ids for indexing, each with the state its write left when given; never
        blocks, never raises. An id without a state is read back by the indexer."""
        known = states or {}
        for product_id in product_ids:
            try:
                self._pending.put_nowait(product_id)
            except asyncio.QueueFull:
                ENQUEUE_FAILED.labels("queue_full").inc()
                self._record_failed = True  # not in the pending set either
                continue
            self._keep_state(product_id, known.get(product_id))

    async def record_before_write(self, product_ids: Sequence[str]) -> None:
        """Record ids as pending before they are written; never raises.

        The recording that goes with the task follows the write's answer, from
        the background; a process killed in between would leave an answered
        write unrecorded, found only by the hourly full scan. Recorded first,
        it is the sweeper's after its grace (a write that then fails costs the
        sweeper one point read). After a failed recording the sweeper scans in
        full anyway, so this waits for Redis only while the recorder is healthy.
        """
        if self._redis is None or self._record_failed or not product_ids:
            return
        try:
            await pending.record_now(self._redis, product_ids)
        except RedisError:
            self._record_failed = True  # told to the sweeper by the background sender

    async def still_pending(self, product_ids: Sequence[str]) -> list[str]:
        """Those of these ids the pending set holds: changed and not yet confirmed indexed.
        Every id when that cannot be told (no Redis, or it fails): sending one again costs
        the indexer a version conflict, missing one leaves it to the sweeper."""
        if self._redis is None or not product_ids:
            return list(product_ids)
        try:
            held = await pending.recorded_among(self._redis, product_ids)
        except RedisError:
            return list(product_ids)
        return [i for i in product_ids if i in held]

    def _keep_state(self, product_id: str, state: Document | None) -> None:
        encoded = carried.encode(state) if state is not None else None
        held = self._states.get(product_id)
        if encoded is None:
            self._states.pop(product_id, None)  # the indexer reads the newest itself
            self._read_back.add(product_id)
        elif product_id not in self._read_back and (
            held is None or carried.version_of(held) < carried.version_of(encoded)
        ):
            self._states[product_id] = encoded

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

    def _take_states(self, ids: list[str]) -> dict[str, Document]:
        """The states to carry for these ids, no longer held here."""
        states = {i: state for i in ids if (state := self._states.pop(i, None)) is not None}
        self._read_back.difference_update(ids)
        return states

    async def _run(self) -> None:
        while True:
            batch = await self._next_batch()
            try:
                ids = list(dict.fromkeys(batch))
                states = self._take_states(ids)
                if self._redis is not None:
                    versions = {i: carried.version_of(state) for i, state in states.items()}
                    ids = await self._mark(self._redis, ids, versions)
                states = {i: states[i] for i in ids if i in states}
                sent = not ids or await asyncio.to_thread(self._send, ids, states)
                if not sent and self._redis is not None:
                    # not queued after all: the next change must try again
                    with contextlib.suppress(RedisError):
                        await unmark_queued(self._redis, ids)
            finally:
                for _ in batch:
                    self._pending.task_done()

    async def _mark(self, redis: Redis, ids: list[str], versions: Mapping[str, int]) -> list[str]:
        try:
            fresh = await mark_queued(redis, ids, versions=versions, trust_lost=self._record_failed)
        except RedisError:
            # these changes are not in the pending set: once Redis answers
            # again the sweeper is told to scan MongoDB in full
            self._record_failed = True
            return ids  # the send will tell whether the broker is there
        self._record_failed = False
        COALESCED.inc(len(ids) - len(fresh))
        return fresh

    def _send(self, product_ids: list[str], states: dict[str, Document]) -> bool:
        try:
            self._app.send_task(
                INDEX_PRODUCTS_TASK, args=[product_ids, states], queue=INDEX_QUEUE, retry=False
            )
            ENQUEUED.inc(len(product_ids))
            CARRIED.inc(len(states))
            return True
        except Exception as exc:  # the broker being away must not affect writes
            ENQUEUE_FAILED.labels("broker").inc(len(product_ids))
            log.warning("index task not sent", extra={"ids": len(product_ids), "error": repr(exc)})
            return False
