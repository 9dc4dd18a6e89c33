"""API keys minted straight into a test stack's MongoDB, as `catalog keys create` does,
and secured keys made from them by the official Algolia client, as a shop's back end would."""

from __future__ import annotations

import asyncio
from typing import Any

from algoliasearch.search.client import SearchClient
from algoliasearch.search.models.secured_api_key_restrictions import SecuredApiKeyRestrictions

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


def secured_key(parent: str, **restrictions: Any) -> str:
    """A secured key made by the official client's `generate_secured_api_key` (no request)."""

    async def make() -> str:
        client = SearchClient("catalog", parent)
        try:
            return await client.generate_secured_api_key(
                parent, SecuredApiKeyRestrictions.from_dict(restrictions)
            )
        finally:
            await client.close()

    return asyncio.run(make())
