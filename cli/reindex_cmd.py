"""`catalog reindex`: rebuild the read model with zero downtime, with a progress bar."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from cli.clients import run_with_clients
from indexer.rebuild import RebuildInProgress, RebuildResult, rebuild

console = Console(stderr=True)


def reindex(
    batch: Annotated[int, typer.Option(min=1, max=5000, help="products per bulk request")] = 500,
) -> None:
    """Rebuild the search index from MongoDB into a new index and swap the alias to it."""

    def run(progress: Progress) -> RebuildResult:
        task = progress.add_task("indexing products", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return run_with_clients(
            lambda clients: rebuild(clients, batch=batch, progress=advance), batch=True
        )

    columns = (
        *Progress.get_default_columns()[:1],
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=console) as progress:
            result = run(progress)
    except RebuildInProgress:
        console.print("[red]another rebuild is running; try again when it has finished[/]")
        raise typer.Exit(1) from None
    console.print(
        f"alias now on [bold]{result.index}[/]: {result.products:,} products, "
        f"{result.caught_up:,} changes caught up; dropped {', '.join(result.previous) or 'nothing'}"
    )
