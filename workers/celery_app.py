"""The Celery application: broker, queues, reliability settings and the beat schedule.

Creating it does not connect; the worker and beat processes connect when they start.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import setup_logging
from kombu import Queue

from catalog.logs import configure_logging
from catalog.queue import INDEX_PRODUCTS_TASK, INDEX_QUEUE
from catalog.settings import Settings, get_settings

HEARTBEAT_INTERVAL_S = 15.0
DEFAULT_QUEUE = "default"
TASK_MODULES = [
    "workers.tasks.diagnostics",
    "workers.tasks.indexing",
    "workers.tasks.auditing",
    "workers.tasks.analytics",
    # not tasks: the metrics endpoint, started with the worker
    "workers.metrics_server",
]
SWEEP_INTERVAL_S = 5.0


def create_celery(settings: Settings) -> Celery:
    """Build the Celery app for these settings."""
    app = Celery(
        "catalog",
        broker=settings.celery_broker_url,
        backend=settings.celery_result_backend,
        include=TASK_MODULES,
    )
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        enable_utc=True,
        # a task is acknowledged only once it has finished, and handed back if
        # its worker dies, so a crash never loses work
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 3600},
        result_expires=3600,
        task_default_queue=DEFAULT_QUEUE,
        task_queues=[Queue(DEFAULT_QUEUE), Queue(INDEX_QUEUE)],
        task_routes={INDEX_PRODUCTS_TASK: {"queue": INDEX_QUEUE}},
        task_time_limit=300,
        task_soft_time_limit=240,
        worker_hijack_root_logger=False,
        beat_schedule={
            "sweep": {
                "task": "indexer.sweep",
                "schedule": SWEEP_INTERVAL_S,
                "options": {"expires": SWEEP_INTERVAL_S},
            },
            "heartbeat": {
                "task": "workers.tasks.diagnostics.heartbeat",
                "schedule": HEARTBEAT_INTERVAL_S,
                "options": {"expires": HEARTBEAT_INTERVAL_S},
            },
        },
    )
    app.conf.beat_schedule["search-rollup"] = {
        "task": "analytics.roll_up_searches",
        "schedule": settings.analytics_rollup_interval_s,
        "options": {"expires": settings.analytics_rollup_interval_s},
    }
    if settings.audit_interval_s > 0:
        app.conf.beat_schedule["audit"] = {
            "task": "indexer.audit",
            "schedule": float(settings.audit_interval_s),
            "options": {"expires": float(settings.audit_interval_s)},
        }
    return app


@setup_logging.connect
def _json_logging(**_: Any) -> None:
    configure_logging(get_settings().log_level)


app = create_celery(get_settings())
