"""`python -m cli` runs the catalog command."""

from cli.main import app

app()
