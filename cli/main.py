"""The `catalog` command line: operations on the running system."""

from __future__ import annotations

import typer

from cli import audit_cmd, demo_cmd, health_cmd, import_cmd, keys_cmd, reindex_cmd, sync_cmd

app = typer.Typer(
    help="catalog-search: operate the product catalog search service.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command("health")(health_cmd.health)
app.command("config")(health_cmd.show_config)
app.command("import")(import_cmd.import_file)
app.command("reindex")(reindex_cmd.reindex)
app.command("audit")(audit_cmd.run_audit)
app.add_typer(keys_cmd.app, name="keys")
app.add_typer(sync_cmd.app, name="sync")

demo = typer.Typer(help="A deterministic demo catalog of phone accessories.")
demo.command("generate")(demo_cmd.generate)
demo.command("pictures")(demo_cmd.store)
app.add_typer(demo, name="demo")
