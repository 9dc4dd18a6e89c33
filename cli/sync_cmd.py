"""`catalog sync status`: how far the search index is behind MongoDB."""

from __future__ import annotations

import asyncio
from dataclasses import asdict

import typer
from rich.console import Console
from rich.table import Table

from catalog.clients import Clients
from catalog.settings import get_settings
from indexer.status import SyncReport, sync_report

BATCH_TIMEOUT_S = 20.0
app = typer.Typer(help="The sync between MongoDB and the search index.")


@app.command("status")
def status() -> None:
    """Show unsynced changes, the oldest one's age, and product counts on both sides."""

    async def run() -> SyncReport:
        settings = get_settings().model_copy(update={"dependency_timeout_s": BATCH_TIMEOUT_S})
        clients = Clients.from_settings(settings)
        try:
            return await sync_report(clients)
        finally:
            await clients.close()

    report = asyncio.run(run())
    table = Table(title="sync status")
    table.add_column("measure")
    table.add_column("value")
    for name, value in asdict(report).items():
        shown = (
            "unknown"
            if value is None
            else f"{value:,.1f}"
            if isinstance(value, float)
            else str(value)
        )
        table.add_row(name.replace("_", " "), shown)
    Console().print(table)
