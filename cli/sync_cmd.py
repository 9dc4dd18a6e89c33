"""`catalog sync status|retry`: how far the search index is behind MongoDB, and dead letters."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from catalog.clients import Clients
from catalog.mongo_server import chunked, is_ferretdb
from cli.clients import run_with_clients
from indexer.dead_letters import revive
from indexer.status import sync_report
from indexer.sync import SyncResult, sync_products

app = typer.Typer(help="The sync between MongoDB and the search index.")
console = Console()


def _shown(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


@app.command("status")
def status() -> None:
    """Show unsynced changes, their age, counts on both sides, dead letters and the last audit."""
    report = run_with_clients(sync_report, batch=True)
    table = Table(title="sync status")
    table.add_column("measure")
    table.add_column("value")
    for name, value in asdict(report).items():
        if name not in ("dead_letter_samples", "last_audit"):
            table.add_row(name.replace("_", " "), _shown(value))
    audit = report.last_audit
    if audit is None:
        table.add_row("last audit", "never ran (catalog audit)")
    else:
        verdict = "clean" if audit["clean"] else "DIFFERENCES"
        table.add_row("last audit", f"{verdict}, finished {_shown(audit['finished_at'])}")
    console.print(table)
    if report.dead_letter_samples:
        letters = Table(title="dead letters (retry with: catalog sync retry)")
        for column in ("id", "version", "attempts", "error"):
            letters.add_column(column)
        for letter in report.dead_letter_samples:
            letters.add_row(letter.id, str(letter.version), str(letter.attempts), letter.error)
        console.print(letters)


@app.command("retry")
def retry(
    product_id: Annotated[
        list[str] | None, typer.Option("--id", help="only this dead letter (repeatable)")
    ] = None,
) -> None:
    """Sync dead letters again (all, or the given ids); a product that fails again returns."""

    async def run(clients: Clients) -> tuple[list[str], SyncResult]:
        ids = await revive(clients, product_id)
        total = SyncResult()
        point_reads = await is_ferretdb(clients.mongo)
        for chunk in chunked(ids, 500):
            result = await sync_products(clients, chunk, point_reads=point_reads)
            total.indexed += result.indexed
            total.deleted += result.deleted
            total.already_newer += result.already_newer
            total.rejected.update(result.rejected)
            total.unavailable.update(result.unavailable)
        return ids, total

    ids, result = run_with_clients(run, batch=True)
    if not ids:
        console.print("no dead letters to retry")
        return
    done = result.indexed + result.deleted + result.already_newer
    console.print(f"retried {len(ids):,}: {done:,} synced, {len(result.failed):,} failed again")
    for failed_id, error in result.failed.items():
        console.print(f"  [red]{failed_id}[/]: {error}")
    if result.failed:
        raise typer.Exit(1)
