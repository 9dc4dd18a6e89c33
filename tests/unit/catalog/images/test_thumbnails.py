"""Thumbnail planning and rendering, on pictures made in memory."""

from __future__ import annotations

import io

from PIL import Image

from catalog.images import thumbnails
from read_api.query.results import primary_image
from tests.pictures import jpeg_with_exif, png
from workers.tasks.images import with_thumbnails


def test_widths_never_enlarge() -> None:
    assert thumbnails.widths_for(2000) == [160, 320, 640]
    assert thumbnails.widths_for(400) == [160, 320]
    assert thumbnails.widths_for(100) == [100]


def test_render_gives_webp_and_jpeg_per_width_in_plan_order() -> None:
    rendered = thumbnails.render(jpeg_with_exif(1200, 900))
    assert [(r.width, r.height, r.fmt) for r in rendered] == thumbnails.plan(1200, 900)
    for r in rendered:
        with Image.open(io.BytesIO(r.data)) as image:
            assert image.size == (r.width, r.height)
            assert image.format == {"webp": "WEBP", "jpeg": "JPEG"}[r.fmt]


def test_transparent_pngs_get_a_jpeg_too() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (500, 500), (255, 0, 0, 0)).save(out, "PNG")
    jpegs = [r for r in thumbnails.render(out.getvalue()) if r.fmt == "jpeg"]
    assert [r.width for r in jpegs] == [160, 320]


def test_thumbnails_go_to_their_image_only() -> None:
    public = {"images": [{"id": "a", "url": "u1"}, {"url": "u2"}]}
    entries = [{"url": "t", "width": 1, "height": 1, "content_type": "image/webp"}]
    assert with_thumbnails(public, "a", entries)["images"] == [
        {"id": "a", "url": "u1", "thumbnails": entries},
        {"url": "u2"},
    ]
    assert with_thumbnails(public, "gone", entries) == public


def test_the_card_image_is_the_first_thumbnail_else_the_original() -> None:
    assert primary_image([]) is None
    assert primary_image([{"url": "orig"}]) == "orig"
    assert primary_image([{"url": "orig", "thumbnails": [{"url": "t160"}]}]) == "t160"
    assert thumbnails.render(png(50, 40))[0].width == 50
