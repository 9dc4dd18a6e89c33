"""Where images live: object keys in the bucket and the URLs that serve them.

Keys are content-addressed, so an object never changes once written and
every URL may be cached forever:
- an original: `originals/<sha256 of the stored bytes>`
- a thumbnail: `thumbnails/<sha256 of its original>/<width>.<webp|jpg>`

An image's id in a product is the sha256 of its original. URLs are the
setting `image_base_url` (a CDN in production) plus the key.
"""

from __future__ import annotations

import re
from typing import Literal

ORIGINALS_PREFIX = "originals/"
THUMBNAILS_PREFIX = "thumbnails/"
ThumbnailFormat = Literal["webp", "jpeg"]
THUMBNAIL_EXTENSIONS: dict[ThumbnailFormat, str] = {"webp": "webp", "jpeg": "jpg"}
KEY_PATTERN = re.compile(
    r"^(?:originals/(?P<original>[0-9a-f]{64})"
    r"|thumbnails/(?P<source>[0-9a-f]{64})/(?P<width>[1-9][0-9]{0,4})\.(?P<ext>webp|jpg))$"
)


def original_key(image_id: str) -> str:
    """The key of an original image."""
    return f"{ORIGINALS_PREFIX}{image_id}"


def thumbnail_key(image_id: str, width: int, fmt: ThumbnailFormat) -> str:
    """The key of one thumbnail of an original."""
    return f"{THUMBNAILS_PREFIX}{image_id}/{width}.{THUMBNAIL_EXTENSIONS[fmt]}"


def image_url(base_url: str, key: str) -> str:
    """The public URL of an object."""
    return f"{base_url.rstrip('/')}/{key}"


def is_image_key(key: str) -> bool:
    """Whether `key` names an image object (anything else is never served)."""
    return KEY_PATTERN.match(key) is not None


def image_id_of_key(key: str) -> str | None:
    """The image id an object belongs to (its own for an original, its source's for a thumbnail)."""
    match = KEY_PATTERN.match(key)
    if match is None:
        return None
    return match["original"] or match["source"]
