"""API keys minted straight into a test stack's MongoDB, as `catalog keys create` does."""

from __future__ import annotations

import asyncio

from catalog.apikeys import Role, create_key, revoke_key, sealer_of
from catalog.clients import Clients
from catalog.settings import Settings


def mint_key(settings: Settings, role: Role, name: str) -> str:
    """A new key of `role` (a `search` key sealed with the stack's server key)."""

    async def mint() -> str:
        clients = Clients.from_settings(settings)
        try:
            return await create_key(clients.db, role, name, sealer=sealer_of(settings))
        finally:
            await clients.close()

    return asyncio.run(mint())


def revoke(settings: Settings, key: str) -> None:
    """Revoke a key by its id."""

    async def run() -> None:
        clients = Clients.from_settings(settings)
        try:
            await revoke_key(clients.db, key.split("_")[1])
        finally:
            await clients.close()

    asyncio.run(run())
