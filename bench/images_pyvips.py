"""Pillow against pyvips: the same thumbnails of the same photos, one after the other, in one run.

    ~/.cache/catalog-search/uv-0.13.8/bin/uv run --with pyvips --with pyvips-binary \\
        python -m bench.images_pyvips --count 20

pyvips is not a dependency of the project (the images worker uses Pillow);
`uv run --with` brings it (and its bundled libvips) for this comparison only.
Both sides make what `catalog.images.thumbnails.render` makes: 160, 320 and
640 px wide, each as WebP and JPEG at quality 80, from camera-sized photos
(bench.images.photo). Pillow decodes a JPEG once in draft mode and resizes
with Lanczos; pyvips shrinks on load to the largest width (`thumbnail_buffer`)
once and resizes the smaller ones from it with its default kernel. Prints thumbnails per
second of each and the ratio.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer

from bench.images import photo
from catalog.images.thumbnails import QUALITY, THUMBNAIL_WIDTHS, render

app = typer.Typer(add_completion=False)


def vips_render(original: bytes) -> int:
    """Every thumbnail of one photo with pyvips; how many were made."""
    import pyvips  # type: ignore[import-not-found]  # only under `uv run --with pyvips`

    made = 0
    widths = sorted(THUMBNAIL_WIDTHS, reverse=True)
    # shrunk on load to the largest width once and held; the smaller ones resized from it
    largest = pyvips.Image.thumbnail_buffer(original, widths[0], height=100_000).copy_memory()
    for width in widths:
        image = largest if width == widths[0] else largest.resize(width / largest.width)
        image.write_to_buffer(".webp", Q=QUALITY)
        image.write_to_buffer(".jpg", Q=QUALITY, optimize_coding=True, interlace=True)
        made += 2
    return made


@app.command()
def main(count: Annotated[int, typer.Option(min=1)] = 20) -> None:
    """Measure and print the table."""
    photos = [photo(4000, 3000, seed) for seed in range(count)]
    started = time.perf_counter()
    pillow = sum(len(render(p)) for p in photos)
    pillow_s = time.perf_counter() - started
    started = time.perf_counter()
    vips = sum(vips_render(p) for p in photos)
    vips_s = time.perf_counter() - started
    print("| thumbnails of the same photos | thumbnails/s |\n| --- | --- |")
    print(f"| Pillow (the worker's render) | {pillow / pillow_s:.1f} |")
    print(f"| pyvips (thumbnail_buffer) | {vips / vips_s:.1f} |")
    print(f"| ratio pyvips / Pillow | {(vips / vips_s) / (pillow / pillow_s):.2f} |")


if __name__ == "__main__":
    app()
