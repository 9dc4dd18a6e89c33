"""Adding and removing a product's uploaded images.

An upload is checked and normalised (catalog.images.decoding) in a thread,
its original stored under its content address, and only then is the image
added to the product through the normal versioned write (ProductCommands),
so the indexer picks it up like any change. A crash between the two leaves
an original that no product names: the collector removes it after its grace
period; never a product naming an image that is not there. The same bytes
are stored once (an existing object is not written again unless it is old
enough for the collector to be near), and the same image added to a
product twice changes nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass
from typing import Any

from catalog.images.decoding import NormalizedImage, normalize
from catalog.images.keys import image_url, original_key
from catalog.images.object_store import ObjectStore
from catalog.products.commands import CommandResult, InvalidProduct, ProductCommands
from catalog.settings import Settings
from write_api.image_uploads import Upload


class ImageNotFound(Exception):
    """The product has no image with this id."""


@dataclass(frozen=True, slots=True)
class AddedImage:
    """The product after the upload, and the image entry it holds."""

    result: CommandResult
    image: dict[str, Any]
    content_type: str
    size: int


def _with_image(public: dict[str, Any], entry: dict[str, Any], limit: int) -> dict[str, Any]:
    images = list(public.get("images", []))
    if any(image.get("id") == entry["id"] for image in images):
        return public  # already there: nothing changes
    if len(images) >= limit:
        raise InvalidProduct(
            [
                {
                    "loc": ("images",),
                    "msg": f"a product holds at most {limit} images",
                    "type": "too_long",
                }
            ]
        )
    return {**public, "images": [*images, entry]}


def _without_image(public: dict[str, Any], image_id: str) -> dict[str, Any]:
    images = list(public.get("images", []))
    kept = [image for image in images if image.get("id") != image_id]
    if len(kept) == len(images):
        raise ImageNotFound(image_id)
    return {**public, "images": kept}


def image_entry(settings: Settings, normalized: NormalizedImage, image_id: str) -> dict[str, Any]:
    """A product's `images` entry for a stored original, before its thumbnails exist."""
    return {
        "id": image_id,
        "url": image_url(str(settings.image_base_url), original_key(image_id)),
        "width": normalized.width,
        "height": normalized.height,
        "thumbnails": [],
    }


class ImageCommands:
    """Uploads and removals of one product's images."""

    def __init__(self, commands: ProductCommands, objects: ObjectStore, settings: Settings) -> None:
        self.commands = commands
        self.objects = objects
        self.settings = settings

    async def add(
        self, product_id: str, upload: Upload, *, actor: str, if_match: str | None
    ) -> AddedImage:
        """Check, store and add one upload (NotFound, PreconditionFailed, InvalidImage, ...)."""
        # fail before any work for a missing product or a stale If-Match
        await self.commands.check(product_id, if_match)
        normalized = await asyncio.to_thread(
            normalize, upload.file, upload.declared, self.settings.image_max_pixels
        )
        image_id = hashlib.sha256(normalized.data).hexdigest()
        key = original_key(image_id)
        existing = await self.objects.head(key)
        # written again when old: the collector never finds an image being added
        # older than its grace period (catalog.images.collection)
        if existing is None or existing.modified < time.time() - self.settings.image_gc_grace_s / 2:
            await self.objects.put(key, normalized.data, normalized.content_type)
        entry = image_entry(self.settings, normalized, image_id)
        if upload.alt:
            entry["alt"] = upload.alt
        limit = self.settings.image_max_per_product
        result = await self.commands.edit(
            product_id,
            lambda public: _with_image(public, entry, limit),
            actor=actor,
            if_match=if_match,
        )
        stored = next(
            image for image in result.document.get("images", []) if image.get("id") == image_id
        )
        if not stored.get("thumbnails"):
            await self.commands.pipeline.publisher.send_thumbnails(product_id, image_id)
        return AddedImage(result, stored, normalized.content_type, len(normalized.data))

    async def remove(
        self, product_id: str, image_id: str, *, actor: str, if_match: str | None
    ) -> CommandResult:
        """Take one image out of a product (its objects go when the collector finds them)."""
        return await self.commands.edit(
            product_id,
            lambda public: _without_image(public, image_id),
            actor=actor,
            if_match=if_match,
        )
