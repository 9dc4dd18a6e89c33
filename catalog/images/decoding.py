"""Checking and normalising an uploaded image: pure, no I/O beyond the file it is given.

An upload is decoded once with Pillow. What it must be:
- an image Pillow can identify (else `NotAnImage`), of an accepted type that
  matches the declared Content-Type (else `WrongType`);
- at most `max_pixels` pixels, checked from the header before any pixel is
  decoded (else `TooManyPixels`: a decompression bomb);
- decodable to its end (else `CorruptImage`).

What is stored is re-encoded in its own format with the EXIF orientation
applied and every metadata block dropped (EXIF, XMP, comments: location
privacy), keeping only the colour profile. Encoding is deterministic, so the
same upload always yields the same bytes, and so the same content address.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO, Any

from PIL import Image, ImageOps, UnidentifiedImageError, features

# declared Content-Type -> Pillow's format name
ACCEPTED_TYPES: dict[str, str] = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
}
if features.check("avif"):
    ACCEPTED_TYPES["image/avif"] = "AVIF"
CONTENT_TYPES = {fmt: content_type for content_type, fmt in ACCEPTED_TYPES.items()}
JPEG_QUALITY = 90
WEBP_QUALITY = 90


class InvalidImage(Exception):
    """An upload that cannot be accepted; `status` is the HTTP answer."""

    status = 422


class NotAnImage(InvalidImage):
    """The bytes are no image Pillow knows."""


class WrongType(InvalidImage):
    """The declared type is not accepted, or the bytes are another type."""

    status = 415


class TooManyPixels(InvalidImage):
    """The image would decode to more pixels than allowed (a decompression bomb)."""


class CorruptImage(InvalidImage):
    """The header is fine but the pixel data is damaged or cut short."""


@dataclass(frozen=True, slots=True)
class NormalizedImage:
    """What is stored for an upload."""

    data: bytes
    content_type: str
    width: int
    height: int


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, lower-cased, without parameters."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def check_declared(content_type: str | None) -> str:
    """The accepted media type declared, or `WrongType`."""
    declared = media_type(content_type)
    if declared not in ACCEPTED_TYPES:
        accepted = ", ".join(sorted(ACCEPTED_TYPES))
        raise WrongType(f"Content-Type {declared or '(none)'!r} is not one of {accepted}")
    return declared


def _encode(image: Image.Image, fmt: str, icc: Any) -> bytes:
    out = io.BytesIO()
    options: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, **options)
    elif fmt == "PNG":
        image.save(out, "PNG", **options)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4, **options)
    else:
        image.save(out, fmt, **options)
    return out.getvalue()


def normalize(source: IO[bytes], declared: str | None, max_pixels: int) -> NormalizedImage:
    """Decode, check and re-encode one upload (see the module docstring).

    `declared` None (a multipart file sent as application/octet-stream): any
    accepted type will do.
    """
    with warnings.catch_warnings():
        # Pillow's own bomb check warns, or raises past twice its limit; ours is stricter
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            # only the accepted decoders ever see the bytes: no exotic format's parser
            image = Image.open(source, formats=list(CONTENT_TYPES))
        except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
            if isinstance(exc, Image.DecompressionBombError):
                raise TooManyPixels(str(exc)) from exc
            raise NotAnImage("the body is not an image of an accepted type") from exc
        except Exception as exc:  # a decoder's error on hostile bytes is the client's
            raise CorruptImage(f"the image cannot be read: {exc}") from exc
        with image:
            try:
                return _normalize_open(image, declared, max_pixels)
            except InvalidImage:
                raise
            except Exception as exc:  # never a 500 for what a client sent
                raise CorruptImage(f"the image cannot be decoded: {exc}") from exc


def _normalize_open(image: Image.Image, declared: str | None, max_pixels: int) -> NormalizedImage:
    fmt = image.format or ""
    found = CONTENT_TYPES.get(fmt)
    if found is None:
        raise WrongType(f"the body is {fmt or 'an unknown type'}, not an accepted image type")
    if declared is not None and found != declared:
        raise WrongType(f"the body is {found}, not the declared {declared}")
    width, height = image.size
    if width * height > max_pixels:
        raise TooManyPixels(
            f"the image has {width}x{height} pixels, more than the {max_pixels} allowed"
        )
    try:
        image.load()
        icc = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
        data = _encode(upright, fmt, icc)
    except Image.DecompressionBombError as exc:
        raise TooManyPixels(str(exc)) from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise CorruptImage(f"the image data is damaged or incomplete: {exc}") from exc
    return NormalizedImage(data, found, upright.width, upright.height)
