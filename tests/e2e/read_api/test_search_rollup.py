"""The search-event roll-up against real Redis and Elasticsearch: crashes never double count.

Each test uses a stream and an index prefix of its own, so the stack's own
roll-up (beat) and its search events are not involved.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

from elasticsearch.helpers import async_bulk

from analytics.events import CONSUMER_GROUP, SearchEvent, events_pattern
from analytics.rollup import CONSUMER, bulk_actions, ensure_group, roll_up
from catalog.clients import Clients
from catalog.settings import Settings

Work = Callable[[Clients, str, str], Awaitable[None]]


def _run(settings: Settings, work: Work) -> None:
    """`work(clients, stream, prefix)` with a private stream and index prefix, cleaned up after."""

    async def run() -> None:
        clients = Clients.from_settings(settings)
        token = uuid.uuid4().hex[:10]
        stream, prefix = f"test:search-events:{token}", f"rollup-test-{token}"
        try:
            await work(clients, stream, prefix)
        finally:
            await clients.redis.delete(stream)
            await clients.es.indices.delete(index=events_pattern(prefix), ignore_unavailable=True)
            await clients.close()

    asyncio.run(run())


def _events(count: int) -> list[SearchEvent]:
    return [SearchEvent.of("search", f"Query {n}", None, [], n) for n in range(count)]


async def _add(clients: Clients, stream: str, events: list[SearchEvent]) -> None:
    for event in events:
        await clients.redis.xadd(stream, event.stream_fields())  # type: ignore[arg-type]


async def _indexed(clients: Clients, prefix: str) -> int:
    await clients.es.indices.refresh(index=events_pattern(prefix))
    return int((await clients.es.count(index=events_pattern(prefix)))["count"])


async def _pending(clients: Clients, stream: str) -> int:
    return int((await clients.redis.xpending(stream, CONSUMER_GROUP))["pending"])


def test_a_crash_before_or_after_writing_counts_each_event_once(settings: Settings) -> None:
    async def work(clients: Clients, stream: str, prefix: str) -> None:
        events = _events(5)
        await _add(clients, stream, events[:3])
        await ensure_group(clients.redis, stream)
        # a run that read two entries and died before writing them
        await clients.redis.xreadgroup(CONSUMER_GROUP, CONSUMER, {stream: ">"}, count=2)
        first = await roll_up(clients.redis, clients.es, prefix, stream=stream)
        assert (first.indexed, first.skipped) == (3, 0)
        # a run that wrote two entries and died before acknowledging them
        await _add(clients, stream, events[3:])
        reply = await clients.redis.xreadgroup(CONSUMER_GROUP, CONSUMER, {stream: ">"}, count=2)
        await async_bulk(clients.es, bulk_actions(prefix, reply[0][1]).actions)
        second = await roll_up(clients.redis, clients.es, prefix, stream=stream)
        assert second.indexed == 2
        assert (await roll_up(clients.redis, clients.es, prefix, stream=stream)).indexed == 0
        assert await _indexed(clients, prefix) == 5
        assert await _pending(clients, stream) == 0

    _run(settings, work)


def test_entries_trimmed_while_pending_are_acknowledged_and_skipped(settings: Settings) -> None:
    async def work(clients: Clients, stream: str, prefix: str) -> None:
        await _add(clients, stream, _events(2))
        await ensure_group(clients.redis, stream)
        reply = await clients.redis.xreadgroup(CONSUMER_GROUP, CONSUMER, {stream: ">"}, count=1)
        await clients.redis.xdel(stream, reply[0][1][0][0])  # as MAXLEN trimming would
        result = await roll_up(clients.redis, clients.es, prefix, stream=stream)
        assert (result.indexed, result.skipped) == (1, 1)
        assert await _indexed(clients, prefix) == 1
        assert await _pending(clients, stream) == 0

    _run(settings, work)
