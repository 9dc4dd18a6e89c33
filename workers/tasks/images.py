"""Thumbnails of uploaded images, on the `images` queue and worker.

`make_thumbnails(product_id, image_id)` renders the thumbnails of one stored
original (catalog.images.thumbnails), stores each under its content-derived
key unless it is there already, and then writes their URLs into the product's
image entry through the ordinary versioned write (catalog.products.commands),
so the indexer carries them to search like any change. Every step may run
again: a retried or repeated task renders only what is missing and writes
nothing when the entry already lists them. With the store, MongoDB or Redis
away it retries with backoff; a product or image gone meanwhile ends it.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task

from catalog.clients import Clients
from catalog.images import thumbnails
from catalog.images.keys import original_key
from catalog.images.object_store import ObjectNotFound, ObjectStore
from catalog.images.thumbnail_objects import store_missing
from catalog.products.commands import NotFound, ProductCommands
from catalog.products.store import ProductStore
from catalog.queue import THUMBNAILS_TASK, TaskPublisher
from workers import runtime
from workers.celery_app import app, task_name

log = logging.getLogger(__name__)
assert task_name(__name__, "make_thumbnails") == THUMBNAILS_TASK
ACTOR = "images-worker"
MAX_RETRIES = 20


def with_thumbnails(
    public: dict[str, Any], image_id: str, entries: list[dict[str, Any]]
) -> dict[str, Any]:
    """The product's fields with the image's thumbnails set (unchanged without the image)."""
    images = [
        {**image, "thumbnails": entries} if image.get("id") == image_id else image
        for image in public.get("images", [])
    ]
    return {**public, "images": images}


async def _store_thumbnails(objects: ObjectStore, image_id: str) -> list[dict[str, Any]] | None:
    try:
        original = await objects.read(original_key(image_id))
    except ObjectNotFound:
        return None
    rendered = thumbnails.render(original)
    await store_missing(objects, image_id, rendered)
    base_url = str(objects.settings.image_base_url)
    return thumbnails.entries(base_url, image_id, [(t.width, t.height, t.fmt) for t in rendered])


async def make(clients: Clients, point_reads: bool, product_id: str, image_id: str) -> str:
    """Render, store and record one image's thumbnails; what happened."""
    settings = clients.settings
    store = ProductStore(clients.db, point_reads=point_reads)
    current = await store.get(product_id)
    if not any(i.get("id") == image_id for i in (current or {}).get("images", [])):
        return "image gone"
    entries = await _store_thumbnails(await runtime.object_store(settings), image_id)
    if entries is None:
        return "original missing"
    publisher = TaskPublisher(settings, clients.redis)
    publisher.start()
    try:
        result = await ProductCommands(store, publisher).edit(
            product_id,
            lambda public: with_thumbnails(public, image_id, entries),
            actor=ACTOR,
            if_match=None,
        )
    except NotFound:
        return "product gone"
    finally:
        await publisher.stop()
    return result.outcome


@app.task(
    name=THUMBNAILS_TASK,
    bind=True,
    **runtime.OUTAGE_RETRIED,
    max_retries=MAX_RETRIES,
    soft_time_limit=120,
    time_limit=180,
)
def make_thumbnails(self: Task[Any, Any], product_id: str, image_id: str) -> None:
    """Make an uploaded image's thumbnails and add them to the product."""
    outcome = runtime.run(
        lambda clients, point_reads: make(clients, point_reads, product_id, image_id)
    )
    log.info("thumbnails", extra={"id": product_id, "image": image_id, "outcome": outcome})
