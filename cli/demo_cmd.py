"""`catalog demo generate` and `catalog demo pictures`: a deterministic demo catalog with pictures.

`generate --pictures DIR` gives each product a drawn picture and writes the
distinct pictures (a few hundred, whatever the count) into DIR as
`<image id>.png`; `pictures DIR` puts them and their thumbnails into the
object store. Storing them before importing the products means no product
ever names a picture the store lacks.
"""

from __future__ import annotations

import asyncio
import hashlib
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from catalog.demo.generator import bulk_lines, generate_products
from catalog.demo.picture_book import PictureBook
from catalog.demo.picture_store import store_pictures
from catalog.outages import OUTAGE_ERRORS
from catalog.settings import get_settings

_PROGRESS_STEP = 1000  # advancing per product would cost more than writing it
PICTURE_SUFFIX = ".png"
console = Console(stderr=True)


def generate(
    count: Annotated[int, typer.Option("--count", min=1, help="how many products")] = 20000,
    seed: Annotated[int, typer.Option("--seed", help="the same seed gives the same file")] = 42,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="file to write; standard output when omitted"),
    ] = None,
    pictures: Annotated[
        Path | None,
        typer.Option(
            "--pictures",
            file_okay=False,
            help="give each product a drawn picture, written into this folder "
            "(then `catalog demo pictures` stores them); URLs under CATALOG_IMAGE_BASE_URL",
        ),
    ] = None,
) -> None:
    """Write `count` demo phone accessories as bulk upsert lines (NDJSON)."""
    book = None if pictures is None else PictureBook(str(get_settings().image_base_url))
    lines = bulk_lines(generate_products(count, seed, book))
    if output is None:
        sys.stdout.buffer.writelines(lines)
        sys.stdout.buffer.flush()
    else:
        with output.open("wb") as file, Progress(console=console) as progress:
            task = progress.add_task(f"writing {output.name}", total=count)
            for n, line in enumerate(lines, start=1):
                file.write(line)
                if n % _PROGRESS_STEP == 0 or n == count:
                    progress.update(task, completed=n)
    if pictures is not None and book is not None:
        pictures.mkdir(parents=True, exist_ok=True)
        for image_id, data in book.originals.items():
            path = pictures / f"{image_id}{PICTURE_SUFFIX}"
            if not path.exists():
                path.write_bytes(data)
        console.print(f"{len(book.originals)} distinct pictures in {pictures}")


def store(
    folder: Annotated[
        Path, typer.Argument(exists=True, file_okay=False, help="what `generate --pictures` wrote")
    ],
) -> None:
    """Put the demo's pictures and their thumbnails into the object store (what is missing)."""
    originals = {p.stem: p.read_bytes() for p in sorted(folder.glob(f"*{PICTURE_SUFFIX}"))}
    misnamed = [i for i, data in originals.items() if hashlib.sha256(data).hexdigest() != i]
    if misnamed:  # a content address must be the content's: never store bytes under another's id
        console.print(f"[red]not named by their sha256: {', '.join(sorted(misnamed)[:5])}[/red]")
        raise typer.Exit(2)
    with Progress(console=console) as progress:
        task = progress.add_task("storing pictures and thumbnails", total=len(originals))
        try:
            stored = asyncio.run(
                store_pictures(get_settings(), originals, lambda: progress.advance(task))
            )
        except OUTAGE_ERRORS as exc:
            console.print(f"[red]the object store is unavailable: {exc}[/red]")
            raise typer.Exit(1) from exc
    console.print(
        f"{len(originals)} pictures: {stored.originals} originals and "
        f"{stored.thumbnails} thumbnails written, the rest were there"
    )
