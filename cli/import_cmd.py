"""`catalog import`: stream an NDJSON or CSV product file to the write API's bulk endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from catalog.importing.bulk_client import (
    COUNTS,
    ImportFailed,
    ImportTally,
    LineError,
    run_import,
    tally,
)

# re-exported: the tests import these from here
__all__ = ["ImportFailed", "ImportTally", "LineError", "import_file", "run_import", "tally"]

console = Console()


def import_file(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help=".ndjson/.jsonl/.json or .csv")
    ],
    key: Annotated[
        str, typer.Option("--key", envvar="CATALOG_API_KEY", help="API key (editor or admin)")
    ],
    url: Annotated[
        str, typer.Option("--url", envvar="CATALOG_WRITE_API_URL", help="write API base URL")
    ] = "http://127.0.0.1:8001",
    batch_lines: Annotated[
        int, typer.Option("--batch-lines", min=1, help="lines per request; a retry repeats one")
    ] = 50000,
) -> None:
    """Upsert a product file through the bulk API; exit 1 if any line failed, 2 on HTTP errors."""
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/x-ndjson"}
    timeout = httpx.Timeout(300.0, connect=10.0)  # a large chunk takes the server a while
    progress = Progress(console=Console(stderr=True), transient=True)
    try:
        with httpx.Client(base_url=url, headers=headers, timeout=timeout) as client, progress:
            result = run_import(path, client, batch_lines, progress)
    except ImportFailed as exc:
        if exc.done and exc.done.counts["lines"]:
            _report(exc.done)
        console.print(f"[red]import failed:[/] {exc}")
        raise typer.Exit(2) from None
    _report(result)
    if result.counts["errors"]:
        raise typer.Exit(1)


def _report(result: ImportTally) -> None:
    table = Table(title="import summary")
    table.add_column("outcome")
    table.add_column("lines", justify="right")
    for name in COUNTS:
        table.add_row(name, f"{result.counts[name]:,}")
    console.print(table)
    if not result.errors:
        return
    errors = Table(title=f"first {len(result.errors)} errors")
    for column in ("file line", "id", "error"):
        errors.add_column(column)
    for e in result.errors:
        errors.add_row(str(e.file_line or "?"), e.id or "", e.message)
    console.print(errors)
    more = result.counts["errors"] - len(result.errors)
    if more > 0:
        console.print(f"… and {more:,} more")
