"""The demo catalog's pictures by what they show: each drawn once, named by its content.

The generator asks for a product's image entry; the book draws the picture
of that spec the first time (catalog.demo.pictures), takes the sha256 of its
bytes as the image id (as an upload would), and gives the entry an upload
has once its thumbnails are made: the original's URL, its size and the
thumbnails' URLs (all under `base_url`, the `image_base_url` setting). The
bytes are kept by id, for `store_pictures` to put into the object store.
"""

from __future__ import annotations

import hashlib
from typing import Any

from catalog.demo.pictures import SIZE, PictureSpec, draw
from catalog.images import thumbnails
from catalog.images.keys import image_url, original_key

CONTENT_TYPE = "image/png"


class PictureBook:
    """Drawn pictures by spec, and the image entries that name them."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._ids: dict[PictureSpec, str] = {}
        self.originals: dict[str, bytes] = {}  # image id -> the PNG's bytes

    def image_id(self, spec: PictureSpec) -> str:
        """The id of the picture of `spec`, drawing it the first time."""
        image_id = self._ids.get(spec)
        if image_id is None:
            data = draw(spec)
            image_id = hashlib.sha256(data).hexdigest()
            self._ids[spec] = image_id
            self.originals[image_id] = data
        return image_id

    def entry(self, spec: PictureSpec, alt: str) -> dict[str, Any]:
        """A product's image entry for the picture of `spec`, thumbnails included."""
        image_id = self.image_id(spec)
        return {
            "id": image_id,
            "url": image_url(self.base_url, original_key(image_id)),
            "alt": alt,
            "width": SIZE,
            "height": SIZE,
            "thumbnails": thumbnails.entries(self.base_url, image_id, thumbnails.plan(SIZE, SIZE)),
        }
