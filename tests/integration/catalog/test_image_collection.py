"""Garbage collection of image objects against the real SeaweedFS and FerretDB of the test stack."""

from __future__ import annotations

import hashlib
import uuid

from catalog.clients import Clients
from catalog.images.collection import collect, without_thumbnails
from catalog.images.keys import original_key, thumbnail_key
from catalog.images.object_store import ObjectStore
from catalog.products.storage import PRODUCTS
from catalog.settings import Settings


def _image_id() -> str:
    return hashlib.sha256(uuid.uuid4().bytes).hexdigest()


async def _put_image(objects: ObjectStore, image_id: str) -> list[str]:
    keys = [original_key(image_id), thumbnail_key(image_id, 160, "webp")]
    for key in keys:
        await objects.put(key, b"pixels", "image/webp")
    return keys


async def test_unreferenced_objects_go_referenced_ones_stay(
    settings: Settings, clients: Clients
) -> None:
    kept_id, orphan_id, removed_id = _image_id(), _image_id(), _image_id()
    product_id = f"GC-{uuid.uuid4().hex[:10]}"
    # a product holding one image; another image was in it and is not any more
    await clients.db[PRODUCTS].insert_one(
        {
            "_id": product_id,
            "title": "GC",
            "price": 1.0,
            "version": 2,
            "images": [{"id": kept_id, "url": "http://x/o"}, {"url": "https://cdn.example/e.jpg"}],
        }
    )
    try:
        await _collect_around(settings, clients, product_id, kept_id, orphan_id, removed_id)
    finally:  # a product written past the write path: never left for audits to find
        await clients.db[PRODUCTS].delete_one({"_id": product_id})


async def _collect_around(
    settings: Settings,
    clients: Clients,
    product_id: str,
    kept_id: str,
    orphan_id: str,
    removed_id: str,
) -> None:
    async with ObjectStore(settings) as objects:
        kept = await _put_image(objects, kept_id)
        orphans = await _put_image(objects, orphan_id)  # stored, never added (a crash)
        removed = await _put_image(objects, removed_id)  # its product let it go

        # within the grace period nothing goes, referenced or not
        early = await collect(clients.db, objects, grace_s=3600)
        assert not set(early.deleted) & {*kept, *orphans, *removed}
        for key in (*kept, *orphans, *removed):
            assert await objects.head(key) is not None

        report = await collect(clients.db, objects, grace_s=0)
        assert {*orphans, *removed} <= set(report.deleted)
        assert not set(report.deleted) & set(kept)
        for key in kept:
            assert await objects.head(key) is not None
        for key in (*orphans, *removed):
            assert await objects.head(key) is None

        # the product lets its image go too: then it is collected
        await clients.db[PRODUCTS].update_one({"_id": product_id}, {"$set": {"images": []}})
        last = await collect(clients.db, objects, grace_s=0)
        assert set(kept) <= set(last.deleted)


async def test_images_without_thumbnails_are_found(clients: Clients) -> None:
    product_id, waiting, done = f"GC-{uuid.uuid4().hex[:10]}", _image_id(), _image_id()
    thumbs = [{"url": "http://x/t", "width": 1, "height": 1, "content_type": "image/webp"}]
    await clients.db[PRODUCTS].insert_one(
        {
            "_id": product_id,
            "images": [
                {"id": waiting, "url": "http://x/a", "thumbnails": []},
                {"id": done, "url": "http://x/b", "thumbnails": thumbs},
                {"url": "https://cdn.example/external.jpg"},
            ],
        }
    )
    try:
        found = await without_thumbnails(clients.db)
        assert (product_id, waiting) in found
        assert (product_id, done) not in found
    finally:
        await clients.db[PRODUCTS].delete_one({"_id": product_id})
