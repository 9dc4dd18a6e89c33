"""Storing rendered thumbnails, each under its content-derived key.

Shared by the images worker (thumbnails of an upload) and the demo catalog's
pictures, so both write the same keys the same way. A key already in the
store is left alone, so a repeated run stores nothing new.
"""

from __future__ import annotations

from catalog.images.keys import thumbnail_key
from catalog.images.object_store import ObjectStore
from catalog.images.thumbnails import CONTENT_TYPES, Rendered


async def put_thumbnails(objects: ObjectStore, image_id: str, rendered: list[Rendered]) -> int:
    """Write each thumbnail of `rendered`; how many were written."""
    for thumb in rendered:
        key = thumbnail_key(image_id, thumb.width, thumb.fmt)
        await objects.put(key, thumb.data, CONTENT_TYPES[thumb.fmt])
    return len(rendered)


async def store_missing(objects: ObjectStore, image_id: str, rendered: list[Rendered]) -> int:
    """Write each thumbnail the store does not hold yet; how many were written."""
    missing = [
        thumb
        for thumb in rendered
        if await objects.head(thumbnail_key(image_id, thumb.width, thumb.fmt)) is None
    ]
    return await put_thumbnails(objects, image_id, missing)
