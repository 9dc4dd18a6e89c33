"""Search (and click) logging that never slows a request down or fails it.

A search, or a batch of Insights events, puts its events on a bounded
in-process queue and returns; a
background flusher sends the queue to a Redis stream in batches (one
script call doing `XADD … MAXLEN ~` per event). A full queue or a Redis outage drops events
and counts them: analytics may lose a few searches, shoppers never wait.
The read API starts it with the app and logs its searches into it
(`read_api/analytics/search_logging.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable
from typing import Protocol

import orjson
import redis.asyncio as aioredis
from prometheus_client import Counter
from redis.commands.core import AsyncScript

from analytics.events import STREAM_KEY

log = logging.getLogger(__name__)
BATCH_SIZE = 500
LINGER_S = 0.05  # gathers a burst into one round trip
OUTAGE_PAUSE_S = 1.0
WARN_EVERY_S = 60.0
STOP_TIMEOUT_S = 2.0
# One call appends a whole batch, each event one entry as `XADD … MAXLEN ~` makes it:
# each arrives as one JSON object of its fields (a pipeline of XADDs cost the
# read API a seventh of a cached search's CPU, in packing and parsing, py-spy).
_APPEND = """
local appended = 0
for i = 2, #ARGV do
    local fields = {}
    for name, value in pairs(cjson.decode(ARGV[i])) do
        fields[#fields + 1] = name
        fields[#fields + 1] = value
    end
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
    appended = appended + 1
end
return appended
"""

SEARCH_EVENTS = Counter(
    "catalog_search_events_total",
    "Analytics events (searches, and clicks, conversions, views) by outcome: sent to the "
    "stream, or dropped (queue full, Redis failing)",
    ["outcome"],
)


class StreamEvent(Protocol):
    """Anything the log carries: an event that knows its stream entry."""

    def stream_fields(self) -> dict[str, bytes]:
        """The fields of its stream entry."""
        ...


class SearchLog:
    """A bounded queue of analytics events and the task that flushes it to Redis."""

    def __init__(self, redis: aioredis.Redis | None, *, capacity: int, stream_maxlen: int) -> None:
        self._redis = redis
        self._queue: asyncio.Queue[StreamEvent] = asyncio.Queue(maxsize=capacity)
        self._maxlen = stream_maxlen
        self._task: asyncio.Task[None] | None = None
        self._last_warning = 0.0
        self._append: AsyncScript | None = None

    def record(self, event: StreamEvent) -> None:
        """Queue an event; never blocks and never raises (a full queue drops it)."""
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            SEARCH_EVENTS.labels("dropped_full").inc()

    def record_all(self, events: Iterable[StreamEvent]) -> None:
        """Queue events in order, as many as fit (the rest are dropped and counted)."""
        for event in events:
            self.record(event)

    def start(self) -> None:
        """Start the background flusher."""
        self._task = asyncio.create_task(self._run(), name="search-log-flusher")

    async def stop(self) -> None:
        """Send what is queued (within a short time budget), then stop the flusher."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        with contextlib.suppress(Exception):
            async with asyncio.timeout(STOP_TIMEOUT_S):
                while not self._queue.empty():
                    await self._send(self._take_batch())

    def _take_batch(self) -> list[StreamEvent]:
        batch: list[StreamEvent] = []
        while len(batch) < BATCH_SIZE and not self._queue.empty():
            batch.append(self._queue.get_nowait())
        return batch

    async def _run(self) -> None:
        while True:
            first = await self._queue.get()
            await asyncio.sleep(LINGER_S)
            batch = [first, *self._take_batch()]
            try:
                await self._send(batch)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis away: drop the batch, keep searching
                SEARCH_EVENTS.labels("dropped_redis").inc(len(batch))
                self._warn(exc, len(batch))
                await asyncio.sleep(OUTAGE_PAUSE_S)

    async def _send(self, batch: list[StreamEvent]) -> None:
        if not batch or self._redis is None:
            return
        if self._append is None:
            self._append = self._redis.register_script(_APPEND)
        encoded = [
            orjson.dumps({name: value.decode() for name, value in event.stream_fields().items()})
            for event in batch
        ]
        await self._append(keys=[STREAM_KEY], args=[self._maxlen, *encoded])
        SEARCH_EVENTS.labels("sent").inc(len(batch))

    def _warn(self, exc: Exception, dropped: int) -> None:
        now = time.monotonic()
        if now - self._last_warning >= WARN_EVERY_S:  # one line a minute, not one per batch
            self._last_warning = now
            log.warning("search events dropped", extra={"error": repr(exc), "dropped": dropped})
