"""`catalog keys create|list|revoke|server-key`: API keys and the server key sealing them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from catalog.apikeys import (
    ROLES,
    Role,
    ServerKeyMissingError,
    create_key,
    list_keys,
    revoke_key,
    sealer_of,
)
from catalog.sealing import new_server_key
from catalog.settings import get_settings
from cli.clients import run_with_clients

app = typer.Typer(help="API keys (stored as hashes in MongoDB) and the server key.")
err = Console(stderr=True)


@app.command("create")
def create(
    role: Annotated[str, typer.Option(help=" | ".join(ROLES))],
    name: Annotated[str, typer.Option(help="what the key is for")] = "",
) -> None:
    """Print a new API key, alone on one line (it is shown only this once).

    Roles: `search` (searches, Insights events, the parent of secured keys;
    needs CATALOG_SERVER_KEY), `analyst` (analytics and sync status),
    `editor` (changes the catalog), `admin` (everything, keys too).
    """
    checked = next((r for r in ROLES if r == role), None)
    if checked is None:
        raise typer.BadParameter(f"must be one of {', '.join(ROLES)}", param_hint="--role")
    sealer = sealer_of(get_settings())
    chosen: Role = checked
    try:
        key = run_with_clients(lambda c: create_key(c.db, chosen, name, sealer=sealer))
    except ServerKeyMissingError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None
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
    """Revoke a key; every process refuses it within CATALOG_AUTH_CACHE_S (0.5 s) and a lookup."""
    if not run_with_clients(lambda c: revoke_key(c.db, key_id)):
        err.print(f"[red]no active key {key_id}[/]")
        raise typer.Exit(1)
    err.print(f"revoked {key_id}")


@app.command("server-key")
def server_key() -> None:
    """Print a new server key for CATALOG_SERVER_KEY (32 random bytes, URL-safe base64).

    Rotating it: existing `search` keys were sealed with the old one and
    stop opening (their secured keys fail); make new search keys after.
    """
    typer.echo(new_server_key())
