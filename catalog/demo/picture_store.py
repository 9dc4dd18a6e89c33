"""Putting the demo catalog's pictures into the object store: originals and thumbnails.

Each picture goes in under its content address, as an upload's would
(`originals/<sha256>`), with the thumbnails the images worker would make
(catalog.images.thumbnails). What the bucket holds is listed once at the
start; keys already there are left alone, so a second run writes nothing
and renders only what is missing. Rendering runs in a process pool, one
process per core; the store's calls run a few pictures at a time.
"""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from PIL import Image

from catalog.demo.picture_book import CONTENT_TYPE
from catalog.images import thumbnails
from catalog.images.keys import ORIGINALS_PREFIX, THUMBNAILS_PREFIX, original_key, thumbnail_key
from catalog.images.object_store import ObjectStore
from catalog.images.thumbnail_objects import put_thumbnails
from catalog.settings import Settings

CONCURRENT_PICTURES = 8


@dataclass
class StoredPictures:
    """What a run wrote: originals and thumbnails (0 and 0 when all were there)."""

    originals: int = 0
    thumbnails: int = 0


def _thumbnail_keys(image_id: str, data: bytes) -> set[str]:
    with Image.open(io.BytesIO(data)) as image:  # the header only: the pool decodes
        width, height = image.size
    return {thumbnail_key(image_id, w, fmt) for w, _, fmt in thumbnails.plan(width, height)}


async def _present(objects: ObjectStore) -> set[str]:
    return {
        key
        for prefix in (ORIGINALS_PREFIX, THUMBNAILS_PREFIX)
        async for key, _ in objects.list_keys(prefix)
    }


async def store_pictures(
    settings: Settings,
    originals: Mapping[str, bytes],
    done: Callable[[], None] = lambda: None,
) -> StoredPictures:
    """Store each picture of `originals` (id -> bytes) and its thumbnails; `done()` after each."""
    stored = StoredPictures()
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(CONCURRENT_PICTURES)
    async with ObjectStore(settings) as objects:
        await objects.ensure_bucket()
        present = await _present(objects)
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:

            async def one(image_id: str, data: bytes) -> None:
                async with gate:
                    if original_key(image_id) not in present:
                        await objects.put(original_key(image_id), data, CONTENT_TYPE)
                        stored.originals += 1
                    if not _thumbnail_keys(image_id, data) <= present:
                        rendered = await loop.run_in_executor(pool, thumbnails.render, data)
                        missing = [
                            t
                            for t in rendered
                            if thumbnail_key(image_id, t.width, t.fmt) not in present
                        ]
                        written = await put_thumbnails(objects, image_id, missing)
                        stored.thumbnails += written  # after the await: no update lost
                done()

            await asyncio.gather(*(one(i, d) for i, d in originals.items()))
    return stored
