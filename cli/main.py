"""The `catalog` command line: operations on the running system."""

from __future__ import annotations

import typer

from cli import health_cmd, keys_cmd

app = typer.Typer(
    help="catalog-search: operate the product catalog search service.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command("health")(health_cmd.health)
app.command("config")(health_cmd.show_config)
app.add_typer(keys_cmd.app, name="keys")
