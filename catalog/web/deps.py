"""Request dependencies: the process's clients and settings, swappable in tests.

Dependencies that never block are `async def`: FastAPI runs a plain `def`
dependency in its thread pool, a thread hop per dependency per request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from catalog.clients import Clients
from catalog.settings import Settings


async def get_clients(request: Request) -> Clients:
    """The clients the app's lifespan built for this process."""
    clients: Clients = request.app.state.clients
    return clients


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


T = TypeVar("T")


def inline(dependency: Callable[..., T]) -> Callable[..., Any]:
    """A plain, non-blocking function as a dependency FastAPI runs on the event loop.

    Its parameters (FastAPI reads them through `__wrapped__`) stay those of
    `dependency`, which callers outside FastAPI may go on calling directly.
    """

    @functools.wraps(dependency)
    async def run(*args: Any, **kwargs: Any) -> T:
        return dependency(*args, **kwargs)

    return run


ClientsDep = Annotated[Clients, Depends(get_clients)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
