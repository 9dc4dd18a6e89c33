"""Fixtures for the write API over HTTP: keys of each role, a client, unique ids."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from catalog.apikeys import Role, create_key, revoke_key
from catalog.clients import Clients
from catalog.settings import Settings
from tests.e2e.conftest import api_url


@dataclass(frozen=True)
class Keys:
    """API keys minted in the test stack's MongoDB."""

    editor: str
    admin: str
    revoked: str


def _mint(settings: Settings) -> Keys:
    async def run() -> Keys:
        clients = Clients.from_settings(settings)
        try:
            made: dict[Role, str] = {}
            for role in ("editor", "admin"):
                made[role] = await create_key(clients.db, role, f"e2e {role}")
            revoked = await create_key(clients.db, "admin", "e2e revoked")
            await revoke_key(clients.db, revoked.split("_")[1])
            return Keys(made["editor"], made["admin"], revoked)
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


@pytest.fixture
def product_id() -> str:
    """An id no other test uses."""
    return f"E2E-{uuid.uuid4().hex[:12]}"


def product(product_id: str, **fields: object) -> dict[str, object]:
    """A valid product body."""
    return {
        "id": product_id,
        "title": "Silikon Hülle für iPhone 15, schwarz",
        "brand": "Acme",
        "categories": [["Handyzubehör", "Hüllen", "iPhone Hüllen"]],
        "price": 19.99,
        "stock": 12,
        "attributes": {"color": "schwarz", "compatible_devices": ["iPhone 15"]},
        **fields,
    }
