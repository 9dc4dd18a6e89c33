"""Request dependencies: the process's clients and settings, swappable in tests."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from catalog.clients import Clients
from catalog.settings import Settings


def get_clients(request: Request) -> Clients:
    """The clients the app's lifespan built for this process."""
    clients: Clients = request.app.state.clients
    return clients


def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


ClientsDep = Annotated[Clients, Depends(get_clients)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
