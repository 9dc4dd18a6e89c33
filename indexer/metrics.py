"""Prometheus metrics of the sync: lag, outcomes, and a snapshot of its state kept in Redis.

Counters and the lag histogram are recorded by the processes that index
(Celery's prefork children, so in multiprocess mode, see workers.metrics_server).
Levels that no single process owns (how many changes are pending, dead
letters, rebuild progress, the last audit) are written to one Redis hash by
whoever knows them and read at scrape time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

import redis
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import RedisError

from catalog.clients import redis_text
from catalog.clock import now_ms

log = logging.getLogger(__name__)

SNAPSHOT_KEY = "catalog:sync:snapshot"
SNAPSHOT_TTL_S = 300

SYNC_LAG = Histogram(
    "catalog_sync_lag_seconds",
    "From a product's change in MongoDB to its write into Elasticsearch (searchable after "
    "the refresh that follows within a second)",
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0, 60.0, 300.0),
)
TASK_PHASES = Histogram(
    "catalog_index_task_phase_seconds",
    "Time an index task spends per phase: reading MongoDB and writing Elasticsearch "
    "(write), refreshing and retiring cached answers (publish), clearing the unsynced "
    "marks (mark)",
    ["phase"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
READ_BACK = Counter(
    "catalog_sync_read_back_total",
    "Products an index task read from MongoDB (sent without their state, or changed since)",
)
SYNCED = Counter(
    "catalog_sync_products_total",
    "Products handled by index tasks, by outcome",
    ["outcome"],
)

# snapshot field -> (metric name, help)
GAUGES: dict[str, tuple[str, str]] = {
    "pending": ("catalog_sync_pending", "Products changed in MongoDB and not yet synced"),
    "oldest_pending_age_s": (
        "catalog_sync_oldest_pending_age_seconds",
        "Age of the oldest unsynced change",
    ),
    "dead_letters": ("catalog_sync_dead_letters", "Products set aside after repeated rejections"),
    "rebuild_loaded": ("catalog_rebuild_products_loaded", "Products loaded by the running rebuild"),
    "rebuild_total": ("catalog_rebuild_products_total", "Products the running rebuild will load"),
    "rebuild_running": ("catalog_rebuild_running", "1 while a rebuild runs"),
    "audit_clean": ("catalog_audit_clean", "1 if the last audit found both sides equal"),
    "audit_differences": (
        "catalog_audit_differences",
        "Products that differed in the last audit (missing, stale, ahead, extra)",
    ),
    "audit_finished_at": ("catalog_audit_finished_timestamp_seconds", "When the last audit ended"),
}


def record_sync(
    outcomes: Mapping[str, int], changed_at: Iterable[datetime], *, read_back: int = 0
) -> None:
    """Count one sync's outcomes and reads, and observe the lag of every product it wrote."""
    READ_BACK.inc(read_back)
    for outcome, count in outcomes.items():
        if count:
            SYNCED.labels(outcome).inc(count)
    now = now_ms()
    for changed in changed_at:
        SYNC_LAG.observe(max((now - changed).total_seconds(), 0.0))


async def publish_snapshot(redis_client: AsyncRedis, **values: float) -> None:
    """Store levels for the metrics endpoint (never fails the caller)."""
    try:
        async with redis_client.pipeline(transaction=False) as pipe:
            pipe.hset(SNAPSHOT_KEY, mapping={k: float(v) for k, v in values.items()})
            pipe.expire(SNAPSHOT_KEY, SNAPSHOT_TTL_S)
            await pipe.execute()
    except RedisError as exc:
        log.warning("sync snapshot not stored", extra={"error": repr(exc)})


class SnapshotCollector(Collector):
    """Gauges read from the Redis snapshot at scrape time."""

    def __init__(self, redis_url: str, timeout_s: float) -> None:
        self._client = redis.Redis.from_url(
            redis_url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s
        )

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            raw = self._client.hgetall(SNAPSHOT_KEY)
        except RedisError:
            return
        snapshot = {redis_text(k): float(v) for k, v in raw.items()}
        for field, (name, documentation) in GAUGES.items():
            if field in snapshot:
                yield GaugeMetricFamily(name, documentation, value=snapshot[field])


class PhaseClock:
    """Observes the time since the previous phase ended, per phase (TASK_PHASES)."""

    def __init__(self) -> None:
        self._last = time.perf_counter()

    def done(self, phase: str) -> None:
        now = time.perf_counter()
        TASK_PHASES.labels(phase).observe(now - self._last)
        self._last = now
