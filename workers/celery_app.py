"""The Celery application: broker, queues and reliability settings.

Each task module owns its tasks: their names, one scheme for all
(`<module>.<function>`, Celery's own default, written out so that producers
outside the workers can name them), and their places on the beat schedule
(`schedule_every`). Creating the app does not connect; the worker and beat
processes connect when they start.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import setup_logging
from kombu import Queue

from catalog.logs import configure_logging
from catalog.queue import IMAGES_QUEUE, INDEX_PRODUCTS_TASK, INDEX_QUEUE, THUMBNAILS_TASK
from catalog.settings import Settings, get_settings

DEFAULT_QUEUE = "default"
TASK_MODULES = [
    "workers.tasks.diagnostics",
    "workers.tasks.indexing",
    "workers.tasks.auditing",
    "workers.tasks.analytics",
    "workers.tasks.suggestions",
    "workers.tasks.images",
    "workers.tasks.image_collection",
    # not tasks: the metrics endpoint, started with the worker
    "workers.metrics_server",
]


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
        task_queues=[Queue(DEFAULT_QUEUE), Queue(INDEX_QUEUE), Queue(IMAGES_QUEUE)],
        task_routes={
            INDEX_PRODUCTS_TASK: {"queue": INDEX_QUEUE},
            THUMBNAILS_TASK: {"queue": IMAGES_QUEUE},
        },
        task_time_limit=300,
        task_soft_time_limit=240,
        worker_hijack_root_logger=False,
    )
    return app


def task_name(module: str, function: str) -> str:
    """The one naming scheme of every task: where its function lives."""
    return f"{module}.{function}"


def schedule_every(seconds: float, task: str) -> None:
    """Put a task on beat's schedule every SECONDS (under its own name); a run that has
    not started within one interval is dropped, so a busy worker never gets a pile."""
    app.add_periodic_task(seconds, app.signature(task), name=task, expires=seconds)


@setup_logging.connect
def _json_logging(**_: Any) -> None:
    configure_logging(get_settings().log_level)


app = create_celery(get_settings())
