"""`catalog sync status`: how far the search index is behind MongoDB."""

from __future__ import annotations

from dataclasses import asdict

import typer
from rich.console import Console
from rich.table import Table

from cli.clients import run_with_clients
from indexer.status import sync_report

app = typer.Typer(help="The sync between MongoDB and the search index.")


@app.command("status")
def status() -> None:
    """Show unsynced changes, the oldest one's age, and product counts on both sides."""

    report = run_with_clients(sync_report, batch=True)
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
