"""Running one CLI command's async work with clients opened for it and closed after it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

from catalog.clients import Clients
from catalog.outages import OUTAGE_ERRORS, dependency_of
from catalog.settings import get_settings

# a batch job (rebuild, full counts) may wait longer on a slow scan than a request may
BATCH_TIMEOUT_S = 20.0
T = TypeVar("T")


def run_with_clients(work: Callable[[Clients], Awaitable[T]], *, batch: bool = False) -> T:
    """Run `work(clients)` to completion; `batch` gives the clients longer timeouts.

    A dependency that is down or too slow ends the command with a one-line
    message and exit status 1, not a traceback.
    """
    settings = get_settings()
    if batch:
        settings = settings.model_copy(update={"dependency_timeout_s": BATCH_TIMEOUT_S})

    async def run() -> T:
        clients = Clients.from_settings(settings)
        try:
            return await work(clients)
        finally:
            await clients.close()

    try:
        return asyncio.run(run())
    except OUTAGE_ERRORS as exc:
        name = dependency_of(exc) or "a dependency"
        Console(stderr=True).print(
            f"[red]{name} is unreachable or did not answer in time[/red]: {exc}. "
            "Check `make status`, then try again."
        )
        raise typer.Exit(1) from exc
