"""Thumbnail rendering in a bare loop: thumbnails per second and memory of one process.

    .venv/bin/python -m bench.images [--count 20] [--width 4000] [--height 3000]

Renders every thumbnail (catalog.images.thumbnails.render: 160/320/640 wide,
WebP and JPEG) of `count` generated photos of width x height, one after the
other in this process, as the images worker does per task but without the
broker, the object store and the product write. Prints originals and
thumbnails per second and the peak RSS. The worker's own rate (with its I/O)
is not measured here yet (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import io
import resource
import time

from PIL import Image, ImageDraw

from catalog.images.thumbnails import render


def photo(width: int, height: int, seed: int) -> bytes:
    """A JPEG with some structure (gradients and shapes), so encoders do real work."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(40):
        x, y = (seed * 97 + i * 131) % width, (seed * 53 + i * 71) % height
        draw.ellipse((x, y, x + width // 6, y + height // 6), fill=(i * 6 % 256, 120, seed % 256))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def main() -> None:
    """Run the loop and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--width", type=int, default=4000)
    parser.add_argument("--height", type=int, default=3000)
    args = parser.parse_args()
    originals = [photo(args.width, args.height, seed) for seed in range(args.count)]
    started = time.perf_counter()
    made = sum(len(render(original)) for original in originals)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.count} originals of {args.width}x{args.height} "
        f"({sum(map(len, originals)) / args.count / 1e6:.1f} MB each): "
        f"{made} thumbnails in {elapsed:.2f} s = {args.count / elapsed:.2f} originals/s, "
        f"{made / elapsed:.1f} thumbnails/s; peak RSS {peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
