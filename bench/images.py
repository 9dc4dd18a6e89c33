"""Images: upload latency, and the images worker's thumbnails per second next to a bare loop.

    .venv/bin/python -m bench.images --count 100 [--width 4000] [--height 3000] [--bare-only]

Generates `count` photos (JPEG, width x height), then, in the same run:
- bare loop: every thumbnail of each photo (catalog.images.thumbnails.render:
  160/320/640 wide, WebP and JPEG) rendered in this process one after the
  other, as the worker does per task, without broker, store or product write;
- system (the running stack of `make up`, URLs from the CATALOG_* settings):
  the photos uploaded through the write API one after the other while the
  images worker is paused, then the worker's own rate over the same photos
  with its I/O (original read, six writes, a versioned product write), and
  the resident memory of its processes while it works (bench.images_worker).
Prints a markdown table with the ratio of the worker's rate to the loop's.
The run's products are deleted afterwards; their objects are left to the
image garbage collection.
"""

from __future__ import annotations

import asyncio
import io
import os
import resource
import time
import uuid
from pathlib import Path
from typing import Annotated

import typer
from PIL import Image, ImageDraw
from rich.console import Console

from bench.images_worker import WorkerRun, run_pipeline
from bench.sync import Endpoints
from bench.sync_lag import percentile
from bench.sync_target import open_target
from catalog.images.thumbnails import render
from catalog.settings import get_settings

app = typer.Typer(add_completion=False)
NOISE_SIGMA, NOISE_SHARE = 40, 0.25  # a 12 MP photo of about 3 MB, as phones take them
DEVSTACK_DIR = Path(os.environ.get("DEVSTACK_DIR", ".devstack"))
console = Console(stderr=True)


def photo(width: int, height: int, seed: int) -> bytes:
    """A JPEG with structure (gradients, shapes) and sensor-like noise, sized like a camera's."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(40):
        x, y = (seed * 97 + i * 131) % width, (seed * 53 + i * 71) % height
        draw.ellipse((x, y, x + width // 6, y + height // 6), fill=(i * 6 % 256, 120, seed % 256))
    grain = Image.effect_noise((width, height), NOISE_SIGMA).convert("RGB")
    image = Image.blend(image, grain, NOISE_SHARE)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def bare_loop(photos: list[bytes]) -> tuple[int, float]:
    """Thumbnails rendered and seconds taken, one photo after the other."""
    started = time.perf_counter()
    made = sum(len(render(original)) for original in photos)
    return made, time.perf_counter() - started


def _mb(kib: int) -> str:
    return f"{kib / 1024:.0f} MB"


def report(
    count: int, size: str, bare: tuple[int, float], bare_rss_kib: int, run: WorkerRun | None
) -> list[str]:
    """The table's rows."""
    made, loop_s = bare
    rows = [
        f"| photos | {count} JPEGs of {size} |",
        f"| bare loop | {made / loop_s:.1f} thumbnails/s ({count / loop_s:.2f} photos/s), "
        f"peak RSS {_mb(bare_rss_kib)} (all photos held) |",
    ]
    if run is None:
        return rows
    ms = [s * 1000 for s in run.upload_s]
    steady = count - 1  # photos done after the first
    rate = run.thumbnails * steady / count / run.steady_s
    rows += [
        f"| upload latency (one at a time) | p50 {percentile(ms, 50):.0f} ms, "
        f"p95 {percentile(ms, 95):.0f} ms, p99 {percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms |",
        f"| images worker (1 process) | {rate:.1f} thumbnails/s ({steady / run.steady_s:.2f} "
        f"photos/s: {steady} photos in {run.steady_s:.1f} s after the first, which was done "
        f"{run.done_s[0]:.1f} s after the queue was given back) |",
        f"| ratio worker / bare loop | {rate / (made / loop_s):.2f} |",
    ]
    for role, rss in sorted(run.rss.items()):
        rows.append(
            f"| worker RSS, {role} | {_mb(rss.before_kib)} before, peak {_mb(rss.peak_kib)} |"
        )
    return rows


async def _system(photos: list[bytes], worker_pid: int, timeout_s: float) -> WorkerRun:
    settings = get_settings()
    where = Endpoints.from_options(
        settings, write_url=None, read_url=None, es_url=None, mongo_url=None,
        mongo_db=None, index_prefix=None, key=None,
    )  # fmt: skip
    prefix = f"bench-img-{uuid.uuid4().hex[:6]}-"
    async with open_target(where, 4, "bench images") as target:
        dirty = await target.dirty()
        try:
            return await run_pipeline(target, prefix, photos, worker_pid, timeout_s)
        finally:
            ids = await target.run_ids(prefix)
            note = await target.remove(prefix, ids, dirty, timeout_s)
            console.print(f"cleanup: {note}")


@app.command()
def main(
    count: Annotated[int, typer.Option(min=1, help="photos")] = 100,
    width: Annotated[int, typer.Option(min=16)] = 4000,
    height: Annotated[int, typer.Option(min=16)] = 3000,
    bare_only: Annotated[bool, typer.Option(help="only the bare loop: no stack needed")] = False,
    worker_pid_file: Annotated[
        Path | None,
        typer.Option(help="the images worker's supervisor pid; default: the devstack's"),
    ] = None,
    timeout: Annotated[float, typer.Option(help="seconds to wait for the thumbnails")] = 900,
) -> None:
    """Measure and print the table."""
    console.print(f"generating {count} photos of {width}x{height}")
    photos = [photo(width, height, seed) for seed in range(count)]
    bare = bare_loop(photos)
    bare_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run = None
    if not bare_only:
        pid_file = worker_pid_file or DEVSTACK_DIR / "run" / "images.pid"
        worker_pid = int(pid_file.read_text().strip())
        run = asyncio.run(_system(photos, worker_pid, timeout))
    size = f"{width}x{height}, {sum(map(len, photos)) / count / 1e6:.1f} MB each"
    print("| images benchmark | result |\n| --- | --- |")
    print("\n".join(report(count, size, bare, bare_rss, run)))


if __name__ == "__main__":
    app()
