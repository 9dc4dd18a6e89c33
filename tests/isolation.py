"""Clients on a catalog of a test's own: its own MongoDB database and index prefix."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from catalog.clients import Clients
from catalog.settings import Settings


@asynccontextmanager
async def isolated_clients(
    settings: Settings, stem: str, **overrides: Any
) -> AsyncIterator[Clients]:
    """Clients on database `<stem>_<tag>` and indices `<stem>-<tag>-*`, removed afterwards."""
    tag = uuid.uuid4().hex[:8]
    prefix = f"{stem.replace('_', '-')}-{tag}"
    isolated = settings.model_copy(
        update={"mongo_db": f"{stem}_{tag}", "es_index_prefix": prefix, **overrides}
    )
    clients = Clients.from_settings(isolated)
    try:
        yield clients
    finally:
        await clients.es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
        await clients.mongo.drop_database(isolated.mongo_db)
        await clients.close()
