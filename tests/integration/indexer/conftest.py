"""Fixtures of the indexer tests: a catalog of a test's own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import RedisDsn
from redis.asyncio import Redis

from catalog.clients import Clients
from catalog.settings import Settings
from tests.integration.conftest import SPARE_DB
from tests.isolation import isolated_clients

FULL_SCAN_INTERVAL_S = 600


@pytest.fixture
async def own(settings: Settings) -> AsyncIterator[Clients]:
    """Clients on a database and index prefix no other test uses."""
    async with isolated_clients(settings, "it_own") as clients:
        yield clients


@pytest.fixture
async def sweeping(settings: Settings, spare_redis: Redis) -> AsyncIterator[Clients]:
    """Clients on a database of this test's own and the spare Redis database.

    The stack's own workers never sweep or index its products, nor see its
    pending set.
    """
    spare_url = RedisDsn(str(settings.redis_url).rsplit("/", 1)[0] + f"/{SPARE_DB}")
    async with isolated_clients(
        settings, "it_sweep", redis_url=spare_url, sweep_full_interval_s=FULL_SCAN_INTERVAL_S
    ) as clients:
        yield clients
