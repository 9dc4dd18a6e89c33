"""Fixtures for tests that talk to the running APIs of the test stack over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from catalog.apikeys import ROLES, Role, create_key, revoke_key, sealer_of
from catalog.clients import Clients
from catalog.settings import Settings

API_NAMES = ("read_api", "write_api")


def api_url(settings: Settings, api: str) -> str:
    """Base URL of one of the stack's APIs."""
    port = settings.read_api_port if api == "read_api" else settings.write_api_port
    return f"http://127.0.0.1:{port}"


@pytest.fixture(params=API_NAMES)
def api(request: pytest.FixtureRequest, settings: Settings) -> Iterator[tuple[str, httpx.Client]]:
    """Each API in turn, as (name, HTTP client)."""
    with httpx.Client(base_url=api_url(settings, request.param), timeout=30) as client:
        yield request.param, client


@dataclass(frozen=True)
class Keys:
    """API keys minted in the test stack's MongoDB."""

    editor: str
    admin: str
    revoked: str
    search: str
    analyst: str


def _mint(settings: Settings) -> Keys:
    async def run() -> Keys:
        clients = Clients.from_settings(settings)
        try:
            made: dict[Role, str] = {}
            sealer = sealer_of(settings)
            for role in ROLES:
                made[role] = await create_key(clients.db, role, f"e2e {role}", sealer=sealer)
            revoked = await create_key(clients.db, "admin", "e2e revoked")
            await revoke_key(clients.db, revoked.split("_")[1])
            return Keys(made["editor"], made["admin"], revoked, made["search"], made["analyst"])
        finally:
            await clients.close()

    return asyncio.run(run())


@pytest.fixture(scope="session")
def keys(settings: Settings) -> Keys:
    """One key per role, and a revoked one."""
    return _mint(settings)


@pytest.fixture
def write_api(settings: Settings, keys: Keys) -> Iterator[httpx.Client]:
    """The write API, authenticated as an editor."""
    with httpx.Client(
        base_url=api_url(settings, "write_api"),
        headers={"Authorization": f"Bearer {keys.editor}"},
        timeout=30,
    ) as client:
        yield client
