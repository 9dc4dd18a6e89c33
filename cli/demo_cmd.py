"""`catalog demo generate`: write a deterministic demo catalog as bulk NDJSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from catalog.demo.generator import bulk_lines, generate_products

_PROGRESS_STEP = 1000  # advancing per product would cost more than writing it


def generate(
    count: Annotated[int, typer.Option("--count", min=1, help="how many products")] = 20000,
    seed: Annotated[int, typer.Option("--seed", help="the same seed gives the same file")] = 42,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="file to write; standard output when omitted"),
    ] = None,
) -> None:
    """Write `count` demo phone accessories as bulk upsert lines (NDJSON)."""
    lines = bulk_lines(generate_products(count, seed))
    if output is None:
        sys.stdout.buffer.writelines(lines)
        sys.stdout.buffer.flush()
        return
    with (
        output.open("wb") as file,
        Progress(console=Console(stderr=True)) as progress,
    ):
        task = progress.add_task(f"writing {output.name}", total=count)
        for n, line in enumerate(lines, start=1):
            file.write(line)
            if n % _PROGRESS_STEP == 0 or n == count:
                progress.update(task, completed=n)
