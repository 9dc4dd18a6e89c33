"""The workers' /metrics: every prefork child's counters, plus the sync snapshot.

Celery runs tasks in forked children, each with its own memory, so their
metrics live in prometheus-client's multiprocess files (the directory named
by PROMETHEUS_MULTIPROC_DIR, set by whoever starts the worker). The parent
process serves the sum of them, plus gauges read from the Redis snapshot.
Without that variable it still serves, but only the parent's own metrics.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery.signals import worker_init, worker_process_shutdown
from prometheus_client import CollectorRegistry, multiprocess, start_http_server

from catalog.settings import get_settings
from indexer.metrics import SnapshotCollector

log = logging.getLogger(__name__)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def build_registry() -> CollectorRegistry:
    """The registry the endpoint serves."""
    settings = get_settings()
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    registry.register(
        SnapshotCollector(str(settings.redis_url), timeout_s=settings.readiness_timeout_s)
    )
    return registry


@worker_init.connect
def _serve_metrics(**_: Any) -> None:
    port = get_settings().worker_metrics_port
    if port == 0:
        return
    if not os.environ.get(MULTIPROC_ENV):
        log.warning("%s not set: the metrics of task processes are not served", MULTIPROC_ENV)
    try:
        start_http_server(port, addr="127.0.0.1", registry=build_registry())
    except OSError as exc:  # metrics are worth a log line, not the worker
        log.error("worker metrics not served", extra={"port": port, "error": repr(exc)})
        return
    log.info("worker metrics served", extra={"port": port})


@worker_process_shutdown.connect
def _forget_child(pid: int | None = None, **_: Any) -> None:
    if os.environ.get(MULTIPROC_ENV) and pid is not None:
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
