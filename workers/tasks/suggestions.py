"""Query suggestions: rebuilt from the search events on a schedule, one run at a time."""

from __future__ import annotations

import logging

from analytics.suggestions_build import build_once
from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.outages import OUTAGE_ERRORS
from catalog.settings import get_settings
from workers import runtime
from workers.celery_app import app, schedule_every, task_name

log = logging.getLogger(__name__)
BUILD_TASK = task_name(__name__, "build_query_suggestions")


@app.task(name=BUILD_TASK, ignore_result=True, soft_time_limit=300, time_limit=360)
def build_query_suggestions() -> int:
    """Rebuild the suggestions index; how many suggestions it holds (-1: another run has it)."""

    async def work(clients: Clients, _: bool) -> int:
        built = await build_once(clients, now_ms())
        return -1 if built is None else built

    try:
        count = runtime.run(work)
    except OUTAGE_ERRORS as exc:  # the previous suggestions stay; the next run tries again
        log.warning("query suggestions not rebuilt", extra={"error": repr(exc)})
        return 0
    if count >= 0:
        log.info("query suggestions rebuilt", extra={"suggestions": count})
    return count


schedule_every(get_settings().suggestions_interval_s, BUILD_TASK)
