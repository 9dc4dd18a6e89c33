"""Running one CLI command's async work with clients opened for it and closed after it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from catalog.clients import Clients
from catalog.settings import get_settings

# a batch job (rebuild, full counts) may wait longer on a slow scan than a request may
BATCH_TIMEOUT_S = 20.0
T = TypeVar("T")


def run_with_clients(work: Callable[[Clients], Awaitable[T]], *, batch: bool = False) -> T:
    """Run `work(clients)` to completion; `batch` gives the clients longer timeouts."""
    settings = get_settings()
    if batch:
        settings = settings.model_copy(update={"dependency_timeout_s": BATCH_TIMEOUT_S})

    async def run() -> T:
        clients = Clients.from_settings(settings)
        try:
            return await work(clients)
        finally:
            await clients.close()

    return asyncio.run(run())
