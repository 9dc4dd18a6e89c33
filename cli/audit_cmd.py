"""`catalog audit [--repair]`: prove Elasticsearch equals MongoDB, with a progress bar."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from cli.clients import run_with_clients
from indexer.audit import KINDS, AuditReport, audit

console = Console()


def run_audit(
    repair: Annotated[
        bool, typer.Option("--repair", help="write again from MongoDB whatever differs")
    ] = False,
) -> None:
    """Compare every product id and version in MongoDB and the search index.

    Exits with status 1 when something differed (and, with --repair, was repaired).
    """
    columns = (
        *Progress.get_default_columns()[:1],
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("comparing products", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report: AuditReport = run_with_clients(
            lambda clients: audit(clients, repair=repair, progress=advance), batch=True
        )
    table = Table(title=f"audit of {report.index}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("products in MongoDB", f"{report.mongodb_products:,}")
    table.add_row("documents in Elasticsearch", f"{report.elasticsearch_documents:,}")
    for kind in (*KINDS, "in_flight"):
        table.add_row(kind.replace("_", " "), f"{getattr(report, kind):,}")
    if repair:
        table.add_row("repaired", f"{report.repaired:,}")
    console.print(table)
    for kind, ids in report.samples.items():
        console.print(f"{kind}: {', '.join(ids)}")
    if report.clean:
        console.print("[green]clean[/]: Elasticsearch equals MongoDB")
        return
    console.print("[red]differences found[/]" + (" and repaired" if repair else ""))
    if report.ahead:
        console.print("index ahead of MongoDB: rebuild it with `catalog reindex`")
    raise typer.Exit(1)
