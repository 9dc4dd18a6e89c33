"""`catalog reindex`: rebuild the read model with zero downtime, with a progress bar."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from catalog.clients import Clients
from catalog.settings import get_settings
from indexer.rebuild import RebuildInProgress, RebuildResult, rebuild

console = Console(stderr=True)
BATCH_TIMEOUT_S = 20.0


def reindex(
    batch: Annotated[int, typer.Option(min=1, max=5000, help="products per bulk request")] = 500,
) -> None:
    """Rebuild the search index from MongoDB into a new index and swap the alias to it."""

    async def run(progress: Progress) -> RebuildResult:
        task = progress.add_task("indexing products", total=None)
        # a batch job may wait longer on a slow scan than a request may
        settings = get_settings().model_copy(update={"dependency_timeout_s": BATCH_TIMEOUT_S})
        clients = Clients.from_settings(settings)
        try:
            return await rebuild(
                clients,
                batch=batch,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        finally:
            await clients.close()

    columns = (
        *Progress.get_default_columns()[:1],
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=console) as progress:
            result = asyncio.run(run(progress))
    except RebuildInProgress:
        console.print("[red]another rebuild is running; try again when it has finished[/]")
        raise typer.Exit(1) from None
    console.print(
        f"alias now on [bold]{result.index}[/]: {result.products:,} products, "
        f"{result.caught_up:,} changes caught up; dropped {', '.join(result.previous) or 'nothing'}"
    )
