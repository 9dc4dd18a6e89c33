"""The periodic garbage collection of image objects (catalog.images.collection), one at a time;
the same run sends the thumbnail task again for every uploaded image still without thumbnails."""

from __future__ import annotations

import logging

from catalog.clients import Clients
from catalog.images.collection import CollectionReport, collect, without_thumbnails
from catalog.images.object_store import ObjectStore
from catalog.queue import IMAGES_QUEUE, THUMBNAILS_TASK
from catalog.settings import get_settings
from workers import runtime
from workers.celery_app import app, schedule_every, task_name

log = logging.getLogger(__name__)
COLLECT_TASK = task_name(__name__, "collect_images")
COLLECT_LOCK = "catalog:lock:image-collection"
COLLECT_LOCK_TIMEOUT_S = 3600


@app.task(name=COLLECT_TASK, ignore_result=True, soft_time_limit=3000, time_limit=3500)
def collect_images() -> None:
    """Delete image objects no product references, older than the grace period."""

    async def work(clients: Clients, _: bool) -> CollectionReport | None:
        lock = clients.redis.lock(COLLECT_LOCK, timeout=COLLECT_LOCK_TIMEOUT_S)
        if not await lock.acquire(blocking=False):
            return None
        try:
            for product_id, image_id in await without_thumbnails(clients.db):
                app.send_task(THUMBNAILS_TASK, args=[product_id, image_id], queue=IMAGES_QUEUE)
            async with ObjectStore(clients.settings) as objects:
                return await collect(clients.db, objects, clients.settings.image_gc_grace_s)
        finally:
            await lock.release()

    report = runtime.run(work)
    if report is not None:
        log.info(
            "image collection",
            extra={"listed": report.listed, "deleted": len(report.deleted)},
        )


if (COLLECT_INTERVAL_S := get_settings().image_gc_interval_s) > 0:
    schedule_every(float(COLLECT_INTERVAL_S), COLLECT_TASK)
