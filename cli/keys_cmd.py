"""`catalog keys create|list|revoke`: API keys for the write API."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from catalog.apikeys import Role, create_key, list_keys, revoke_key
from cli.clients import run_with_clients

app = typer.Typer(help="API keys for the write API (stored as hashes in MongoDB).")
err = Console(stderr=True)


@app.command("create")
def create(
    role: Annotated[str, typer.Option(help="editor or admin")],
    name: Annotated[str, typer.Option(help="what the key is for")] = "",
) -> None:
    """Print a new API key, alone on one line (it is shown only this once)."""
    if role not in ("editor", "admin"):
        raise typer.BadParameter("must be editor or admin", param_hint="--role")
    checked: Role = "admin" if role == "admin" else "editor"
    key = run_with_clients(lambda c: create_key(c.db, checked, name))
    typer.echo(key)


@app.command("list")
def list_() -> None:
    """List keys (ids, roles, names, dates; never secrets)."""
    keys = run_with_clients(lambda c: list_keys(c.db))
    table = Table(title="API keys")
    for column in ("key id", "role", "name", "created", "revoked"):
        table.add_column(column)
    for k in keys:
        table.add_row(
            k.key_id,
            k.role,
            k.name,
            f"{k.created_at:%Y-%m-%d %H:%M}",
            f"{k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "",
        )
    Console().print(table)


@app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="the key id (second part of the key)")],
) -> None:
    """Revoke a key; requests with it fail within CATALOG_AUTH_CACHE_S seconds."""
    if not run_with_clients(lambda c: revoke_key(c.db, key_id)):
        err.print(f"[red]no active key {key_id}[/]")
        raise typer.Exit(1)
    err.print(f"revoked {key_id}")
