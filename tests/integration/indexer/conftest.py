"""Fixtures of the indexer tests: a catalog of a test's own."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from catalog.clients import Clients
from catalog.settings import Settings


@pytest.fixture
async def own(settings: Settings) -> AsyncIterator[Clients]:
    """Clients on a database and index prefix no other test uses."""
    tag = uuid.uuid4().hex[:8]
    isolated = settings.model_copy(
        update={"mongo_db": f"it_own_{tag}", "es_index_prefix": f"it-own-{tag}"}
    )
    clients = Clients.from_settings(isolated)
    try:
        yield clients
    finally:
        await clients.es.indices.delete(index=f"it-own-{tag}-*", ignore_unavailable=True)
        await clients.mongo.drop_database(isolated.mongo_db)
        await clients.close()
