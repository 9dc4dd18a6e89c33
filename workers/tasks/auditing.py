"""The periodic audit: the workers prove, by themselves, that the index equals MongoDB."""

from __future__ import annotations

import logging

from catalog.clients import Clients
from catalog.settings import get_settings
from indexer import metrics
from indexer.audit import AuditReport, audit
from workers import runtime
from workers.celery_app import app, schedule_every, task_name

log = logging.getLogger(__name__)
AUDIT_TASK = task_name(__name__, "periodic_audit")
AUDIT_LOCK = "catalog:lock:audit"
AUDIT_LOCK_TIMEOUT_S = 6 * 3600


@app.task(name=AUDIT_TASK, ignore_result=True, soft_time_limit=3 * 3600, time_limit=4 * 3600)
def periodic_audit() -> None:
    """Audit (and by default repair) the read model; one audit at a time."""
    repair = get_settings().audit_repair

    async def work(clients: Clients, _: bool) -> AuditReport | None:
        lock = clients.redis.lock(AUDIT_LOCK, timeout=AUDIT_LOCK_TIMEOUT_S)
        if not await lock.acquire(blocking=False):
            return None
        try:
            report = await audit(clients, repair=repair)
        finally:
            await lock.release()
        await publish_audit(clients, report)
        return report

    report = runtime.run(work)
    if report is not None and not report.clean:
        log.warning("audit found differences", extra=report.as_document())


async def publish_audit(clients: Clients, report: AuditReport) -> None:
    """The audit's verdict, for the metrics endpoint."""
    finished = report.finished_at.timestamp() if report.finished_at else 0.0
    await metrics.publish_snapshot(
        clients.redis,
        audit_clean=1.0 if report.clean else 0.0,
        audit_differences=report.missing + report.stale + report.ahead + report.extra,
        audit_finished_at=finished,
    )


if (AUDIT_INTERVAL_S := get_settings().audit_interval_s) > 0:
    schedule_every(float(AUDIT_INTERVAL_S), AUDIT_TASK)
