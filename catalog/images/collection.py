"""Garbage collection of image objects: delete what no product references, after a grace period.

An object (an original or a thumbnail, catalog.images.keys) belongs to an
image id; it is referenced while any stored product's `images` holds an
entry with that id. The collector

1. lists the objects last written more than `grace_s` ago,
2. then reads every product's image ids (after the listing: an image added
   meanwhile is seen as referenced),
3. reads them once more right before deleting (so an image added while the
   first read ran is seen), and for each unreferenced candidate checks that
   the object was not written again since it was listed.

Uploads rewrite an original that is older than half the grace period
(write_api.image_commands), so an image being added is never older than the
grace when it is collected. What remains is the window between the last
check and the delete of one object (milliseconds), in which the same bytes
would have to be uploaded again; the collector never deletes an object whose
id a product held when it looked.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from catalog.images.keys import ORIGINALS_PREFIX, THUMBNAILS_PREFIX, image_id_of_key
from catalog.images.object_store import ObjectStore
from catalog.products.storage import PRODUCTS

PREFIXES = (ORIGINALS_PREFIX, THUMBNAILS_PREFIX)


@dataclass
class CollectionReport:
    """What one collection saw and did."""

    listed: int = 0
    old_enough: int = 0
    referenced: int = 0
    deleted: list[str] = field(default_factory=list)


def image_ids(images: Iterable[Any]) -> set[str]:
    """The uploaded image ids of one product's `images`."""
    return {str(image["id"]) for image in images if isinstance(image, dict) and image.get("id")}


async def without_thumbnails(db: AsyncDatabase[dict[str, Any]]) -> list[tuple[str, str]]:
    """(product id, image id) of every uploaded image still without thumbnails: their
    tasks are sent again (one lost while the broker was away is made up for)."""
    found: list[tuple[str, str]] = []
    async for doc in db[PRODUCTS].find({}, {"images": 1}):
        for image in doc.get("images") or []:
            if isinstance(image, dict) and image.get("id") and not image.get("thumbnails"):
                found.append((str(doc["_id"]), str(image["id"])))
    return found


async def referenced_ids(db: AsyncDatabase[dict[str, Any]]) -> set[str]:
    """Every image id any stored product holds (a scan: FerretDB has no array-path
    queries to ask for one id)."""
    found: set[str] = set()
    async for doc in db[PRODUCTS].find({}, {"images": 1}):
        found |= image_ids(doc.get("images") or [])
    return found


async def collect(
    db: AsyncDatabase[dict[str, Any]], objects: ObjectStore, grace_s: float
) -> CollectionReport:
    """One collection over the whole bucket (see the module docstring)."""
    report = CollectionReport()
    cutoff = time.time() - grace_s
    candidates: list[tuple[str, str, float]] = []
    for prefix in PREFIXES:
        async for key, modified in objects.list_keys(prefix):
            report.listed += 1
            image_id = image_id_of_key(key)
            if image_id is not None and modified <= cutoff:
                candidates.append((key, image_id, modified))
    report.old_enough = len(candidates)
    if not candidates:
        return report
    referenced = await referenced_ids(db)
    unreferenced = [c for c in candidates if c[1] not in referenced]
    if unreferenced:
        referenced |= await referenced_ids(db)
    report.referenced = len(candidates) - len(unreferenced)
    for key, image_id, modified in unreferenced:
        if image_id in referenced:
            report.referenced += 1
            continue
        current = await objects.head(key)
        if current is None or current.modified > modified:
            continue  # gone already, or written again since it was listed
        await objects.delete(key)
        report.deleted.append(key)
    return report
