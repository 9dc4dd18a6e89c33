"""Fixtures for tests that talk to the real services of the test stack."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import RedisDsn
from redis.asyncio import Redis

from catalog.clients import Clients, redis_client
from catalog.settings import Settings


@pytest.fixture
async def clients(settings: Settings) -> AsyncIterator[Clients]:
    """Real clients towards the test stack's MongoDB, Elasticsearch and Redis."""
    bundle = Clients.from_settings(settings)
    try:
        yield bundle
    finally:
        await bundle.close()


@pytest.fixture(scope="session")
def settings_(settings: Settings) -> Settings:
    """The settings, under a name hypothesis tests can take beside their drawn arguments."""
    return settings


SPARE_DB = 10  # the stack's services use database 0 for the same keys


@pytest.fixture
async def spare_redis(settings: Settings) -> AsyncIterator[Redis]:
    """An empty Redis database, emptied again afterwards."""
    url = str(settings.redis_url).rsplit("/", 1)[0] + f"/{SPARE_DB}"
    client = redis_client(settings.model_copy(update={"redis_url": RedisDsn(url)}))
    await client.flushdb()
    try:
        yield client
    finally:
        await client.flushdb()
        await client.aclose()
