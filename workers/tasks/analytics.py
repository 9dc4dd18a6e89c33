"""Search and click analytics: roll the read API's analytics events up into Elasticsearch."""

from __future__ import annotations

import logging

from analytics.rollup import EventsNotIndexed, RollupResult, purge_expired, roll_up
from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.outages import OUTAGE_ERRORS
from catalog.settings import get_settings
from workers import runtime
from workers.celery_app import app, schedule_every, task_name

log = logging.getLogger(__name__)
ROLLUP_TASK = task_name(__name__, "roll_up_searches")
ROLLUP_LOCK = "catalog:lock:search-rollup"
ROLLUP_LOCK_TIMEOUT_S = 120
RETENTION_KEY = "catalog:analytics:retention-checked"
RETENTION_CHECK_S = 3600
POSTPONED: tuple[type[Exception], ...] = (*OUTAGE_ERRORS, EventsNotIndexed)


@app.task(name=ROLLUP_TASK, ignore_result=True, soft_time_limit=90, time_limit=120)
def roll_up_searches() -> int:
    """Index the searches and Insights events logged since the last run; one run at a time."""

    async def work(clients: Clients, _: bool) -> RollupResult | None:
        settings = clients.settings
        lock = clients.redis.lock(ROLLUP_LOCK, timeout=ROLLUP_LOCK_TIMEOUT_S)
        if not await lock.acquire(blocking=False):
            return None
        try:
            result = await roll_up(
                clients.redis,
                clients.es,
                settings.es_index_prefix,
                replicas=settings.es_replicas,
            )
            if await clients.redis.set(RETENTION_KEY, 1, nx=True, ex=RETENTION_CHECK_S):
                expired = await purge_expired(
                    clients.es,
                    settings.es_index_prefix,
                    now_ms(),
                    settings.analytics_retention_days,
                )
                if expired:
                    log.info("search event indices expired", extra={"indices": expired})
            return result
        finally:
            await lock.release()

    try:
        result = runtime.run(work)
    except POSTPONED as exc:  # nothing was acknowledged: the next run catches up
        log.warning("search roll-up postponed", extra={"error": repr(exc)})
        return 0
    if result is None:
        return 0
    if result.indexed or result.skipped:
        log.info(
            "search events rolled up",
            extra={"indexed": result.indexed, "skipped": result.skipped},
        )
    return result.indexed


schedule_every(get_settings().analytics_rollup_interval_s, ROLLUP_TASK)
