"""The roll-up: analytics events move from the Redis stream into daily Elasticsearch indices.

A consumer group makes it safe: entries are acknowledged only once
Elasticsearch has them, so a crash hands them to the next run (which first
re-reads what it left pending). Each entry is indexed under its stream id, so
writing one twice overwrites it instead of counting it twice.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import redis.asyncio as aioredis
from elasticsearch import AsyncElasticsearch
from elasticsearch.exceptions import RequestError
from elasticsearch.helpers import async_streaming_bulk
from prometheus_client import Counter as Counted
from redis.exceptions import ResponseError

from analytics.events import (
    CONSUMER_GROUP,
    INSIGHTS,
    SEARCHES,
    STREAM_KEY,
    TRACKING_PROPERTIES,
    events_index,
    events_index_body,
    events_pattern,
    index_day,
    index_family,
)
from analytics.insights_events import UNMERGED_PROPERTIES, Unmerged, insights_index_body
from analytics.rollup_actions import Entry, KnownSearch, bulk_actions, searches_to_look_up

__all__ = ["bulk_actions", "expired_indices", "purge_expired", "roll_up", "upcoming_indices"]
log = logging.getLogger(__name__)
BATCH_SIZE = 1000
MAX_BATCHES = 50  # per run; the next run continues
CONSUMER = "rollup"  # one name: runs are single-flight, and a run picks up what the last left
_OUTAGE_STATUSES = {429, 500, 502, 503, 504}
# indices this process has seen exist (one deleted meanwhile fails the write: nothing
# is acknowledged, and the next run creates it again)
_known_indices: set[str] = set()
UNMERGED_EVENTS = Counted(
    "catalog_insights_unmerged_total",
    "Clicks and conversions counted but merged with no search: their queryID names no "
    "search we logged (unknown_query), or an object it did not answer (not_in_hits)",
    ["reason"],
)


class EventsNotIndexed(Exception):
    """Elasticsearch could not take the events now; they stay unacknowledged for the next run."""


@dataclass(slots=True)
class RollupResult:
    """What one run moved: events indexed, entries skipped (unreadable or trimmed), and
    the clicks and conversions counted but not merged with a search, by reason."""

    indexed: int = 0
    skipped: int = 0
    indices: set[str] = field(default_factory=set)
    unmerged: Counter[Unmerged] = field(default_factory=Counter)


def expired_indices(prefix: str, names: Iterable[str], now: datetime, days: int) -> list[str]:
    """Daily event indices whose whole day lies more than `days` days back."""
    cutoff = now - timedelta(days=days + 1)
    return sorted(n for n in names if (day := index_day(prefix, n)) is not None and day < cutoff)


async def ensure_group(redis: aioredis.Redis, stream: str = STREAM_KEY) -> None:
    """The consumer group, from the stream's first entry (idempotent)."""
    try:
        await redis.xgroup_create(stream, CONSUMER_GROUP, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


async def _ensure_indices(
    es: AsyncElasticsearch, prefix: str, names: set[str], replicas: int
) -> None:
    for name in sorted(names):
        family = index_family(prefix, name)
        if await es.indices.exists(index=name):
            # made before the fields of today's events existed
            added = TRACKING_PROPERTIES if family == SEARCHES else UNMERGED_PROPERTIES
            await es.indices.put_mapping(index=name, body={"properties": added})
            continue
        body = insights_index_body(replicas) if family == INSIGHTS else events_index_body(replicas)
        try:
            await es.indices.create(index=name, **body)
        except RequestError as exc:
            if exc.error != "resource_already_exists_exception":
                raise


async def _searches_of(es: AsyncElasticsearch, wanted: dict[str, str]) -> dict[str, KnownSearch]:
    """queryID → the searches already in Elasticsearch (a realtime multi-get)."""
    if not wanted:
        return {}
    fields = ["query", "hits"]
    docs = [{"_index": index, "_id": qid, "_source": fields} for qid, index in wanted.items()]
    reply = await es.mget(body={"docs": docs})
    found: dict[str, KnownSearch] = {}
    for doc in reply["docs"]:
        source = doc.get("_source", {}) if doc.get("found") else {}
        if "query" in source:
            hits = frozenset(str(hit) for hit in source.get("hits", []))
            found[doc["_id"]] = KnownSearch(doc["_index"], source["query"], hits)
    return found


async def _write(es: AsyncElasticsearch, actions: Sequence[dict[str, Any]]) -> None:
    """Index the actions; an outage raises (nothing is acknowledged), a refusal is logged."""
    async for ok, item in async_streaming_bulk(
        es, actions, raise_on_error=False, raise_on_exception=True, max_retries=0
    ):
        if ok:
            continue
        info = next(iter(item.values()))
        status = info.get("status", 500)
        if status == 404:  # the index went away: make it again on the next run
            _known_indices.discard(info.get("_index", ""))
        if status in _OUTAGE_STATUSES or status == 404:
            raise EventsNotIndexed(str(info.get("error", status)))
        # a refused event would block the stream for ever: log it and move on
        log.warning("analytics event refused", extra={"error": str(info.get("error"))[:500]})


def upcoming_indices(prefix: str, now: datetime) -> set[str]:
    """Today's and tomorrow's event indices (made a day early: no search meets a new shard)."""
    return {events_index(prefix, now), events_index(prefix, now + timedelta(days=1))}


async def roll_up(
    redis: aioredis.Redis,
    es: AsyncElasticsearch,
    prefix: str,
    *,
    replicas: int = 0,
    stream: str = STREAM_KEY,
) -> RollupResult:
    """Move the stream's unacknowledged entries into Elasticsearch, then acknowledge them."""
    await ensure_group(redis, stream)
    result = RollupResult()
    upcoming = upcoming_indices(prefix, datetime.now(UTC))
    await _ensure_indices(es, prefix, upcoming - _known_indices, replicas)
    _known_indices.update(upcoming)
    start = "0"  # what an earlier run read and did not acknowledge comes first
    for _ in range(MAX_BATCHES):
        reply: Any = await redis.xreadgroup(
            CONSUMER_GROUP, CONSUMER, {stream: start}, count=BATCH_SIZE
        )
        entries: list[Entry] = reply[0][1] if reply else []
        if not entries:
            if start == ">":
                break
            start = ">"
            continue
        searches = await _searches_of(es, searches_to_look_up(prefix, entries))
        batch = bulk_actions(prefix, entries, searches)
        indices = {action["_index"] for action in batch.actions}
        await _ensure_indices(es, prefix, indices - _known_indices, replicas)
        _known_indices.update(indices)
        await _write(es, batch.actions)
        await redis.xack(stream, CONSUMER_GROUP, *[entry_id for entry_id, _ in entries])
        result.indexed += len(batch.actions)
        result.skipped += batch.skipped
        result.indices |= indices
        result.unmerged.update(batch.unmerged)
        for reason, count in batch.unmerged.items():
            UNMERGED_EVENTS.labels(reason).inc(count)
    return result


async def purge_expired(es: AsyncElasticsearch, prefix: str, now: datetime, days: int) -> list[str]:
    """Delete the daily event indices (both families) older than the retention."""
    patterns = f"{events_pattern(prefix)},{events_pattern(prefix, INSIGHTS)}"
    existing = await es.indices.get_alias(index=patterns, allow_no_indices=True)
    expired = expired_indices(prefix, existing, now, days)
    if expired:
        await es.indices.delete(index=",".join(expired), ignore_unavailable=True)
    return expired
