"""Checking and normalising uploads, on pictures made in memory."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from catalog.images import decoding
from tests.pictures import GPS_IFD, ORIENTATION, bomb_png, jpeg_with_exif, png, truncated

PIXELS = 40_000_000


def test_orientation_is_applied_and_exif_dropped() -> None:
    stored = decoding.normalize(io.BytesIO(jpeg_with_exif(300, 200)), "image/jpeg", PIXELS)
    assert (stored.width, stored.height) == (200, 300)
    with Image.open(io.BytesIO(stored.data)) as image:
        exif = image.getexif()
        assert ORIENTATION not in exif
        assert GPS_IFD not in exif
        assert "exif" not in image.info
        # the blue marker of the top-left corner is now top-right (rotated clockwise)
        assert image.convert("RGB").getpixel((190, 10))[2] > 200


def test_the_same_upload_gives_the_same_bytes() -> None:
    data = jpeg_with_exif()
    first = decoding.normalize(io.BytesIO(data), "image/jpeg", PIXELS)
    assert decoding.normalize(io.BytesIO(data), "image/jpeg", PIXELS).data == first.data


def test_a_sniffed_upload_takes_the_type_it_has() -> None:
    assert decoding.normalize(io.BytesIO(png()), None, PIXELS).content_type == "image/png"


@pytest.mark.parametrize(
    ("data", "declared", "error"),
    [
        (b"just text", "image/png", decoding.NotAnImage),
        (png(), "image/jpeg", decoding.WrongType),
        (truncated(jpeg_with_exif(600, 400)), "image/jpeg", decoding.CorruptImage),
        (bomb_png(), "image/png", decoding.TooManyPixels),
    ],
)
def test_bad_uploads_are_refused(data: bytes, declared: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        decoding.normalize(io.BytesIO(data), declared, PIXELS)


def test_only_image_types_are_accepted() -> None:
    assert decoding.check_declared("image/JPEG; charset=x") == "image/jpeg"
    with pytest.raises(decoding.WrongType):
        decoding.check_declared("text/plain")
    with pytest.raises(decoding.WrongType):
        decoding.check_declared(None)
