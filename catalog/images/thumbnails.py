"""Thumbnails of a stored original: the widths a storefront needs, WebP and a JPEG fallback (pure).

Widths are `THUMBNAIL_WIDTHS` below the original's width (never enlarged; an
original narrower than the smallest gets one thumbnail of its own width).
The original is decoded once (a JPEG straight at a reduced scale, Pillow's
draft mode) and each width is resized from it with a high-quality filter.
Listed by width, WebP before JPEG at each: the first is the smallest WebP.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image

from catalog.images.keys import ThumbnailFormat, image_url, thumbnail_key

THUMBNAIL_WIDTHS = (160, 320, 640)
FORMATS: tuple[ThumbnailFormat, ...] = ("webp", "jpeg")
CONTENT_TYPES: dict[ThumbnailFormat, str] = {"webp": "image/webp", "jpeg": "image/jpeg"}
QUALITY = 80
BACKGROUND = (255, 255, 255)  # what transparent parts become in a JPEG


@dataclass(frozen=True, slots=True)
class Rendered:
    """One thumbnail: its size, format and bytes."""

    width: int
    height: int
    fmt: ThumbnailFormat
    data: bytes


def widths_for(original_width: int) -> list[int]:
    """The thumbnail widths of an original this wide."""
    return [w for w in THUMBNAIL_WIDTHS if w < original_width] or [original_width]


def height_for(width: int, original_width: int, original_height: int) -> int:
    """A thumbnail's height at `width`, keeping the aspect ratio."""
    return max(1, round(original_height * width / original_width))


def plan(original_width: int, original_height: int) -> list[tuple[int, int, ThumbnailFormat]]:
    """(width, height, format) of every thumbnail of an original, in listing order."""
    return [
        (w, height_for(w, original_width, original_height), fmt)
        for w in widths_for(original_width)
        for fmt in FORMATS
    ]


def _encode(image: Image.Image, fmt: ThumbnailFormat) -> bytes:
    out = io.BytesIO()
    if fmt == "jpeg":
        if image.mode in ("RGBA", "LA", "P"):
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, BACKGROUND)
            flat.paste(rgba, mask=rgba.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def render(original: bytes) -> list[Rendered]:
    """Every thumbnail of an original's bytes."""
    with Image.open(io.BytesIO(original)) as source:
        width, height = source.size
        wanted = plan(width, height)
        largest = max(w for w, _, _ in wanted)
        if source.format == "JPEG":
            source.draft("RGB", (largest, height_for(largest, width, height)))
        source.load()
        rendered = []
        for w, h, fmt in wanted:
            resized = source.resize((w, h), Image.Resampling.LANCZOS)
            rendered.append(Rendered(w, h, fmt, _encode(resized, fmt)))
    return rendered


def entries(
    base_url: str, image_id: str, planned: list[tuple[int, int, ThumbnailFormat]]
) -> list[dict[str, Any]]:
    """The `thumbnails` of an image entry: where each planned thumbnail is served, and its size."""
    return [
        {
            "url": image_url(base_url, thumbnail_key(image_id, w, fmt)),
            "width": w,
            "height": h,
            "content_type": CONTENT_TYPES[fmt],
        }
        for w, h, fmt in planned
    ]
