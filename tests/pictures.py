"""Test pictures made with Pillow: photos with EXIF (orientation, GPS), PNGs, bombs, damage."""

from __future__ import annotations

import io

from PIL import Image

ORIENTATION = 0x0112
GPS_IFD = 0x8825


def jpeg_with_exif(width: int = 300, height: int = 200, color: str = "red") -> bytes:
    """A JPEG whose EXIF says "rotate 90° clockwise" and carries a GPS position."""
    image = Image.new("RGB", (width, height), color)
    # a marker in one corner, so the applied rotation shows in the pixels
    image.paste("blue", (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=92)
    return out.getvalue()


def png(width: int = 64, height: int = 48, color: str = "green") -> bytes:
    """A plain PNG."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def bomb_png(side: int = 8000) -> bytes:
    """A small PNG that decodes to side x side pixels (64 million for 8000)."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG", optimize=True)
    return out.getvalue()


def truncated(data: bytes) -> bytes:
    """The first half of an image: a valid header, pixel data cut short."""
    return data[: len(data) // 2]
