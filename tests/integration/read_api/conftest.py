"""A Redis database of their own for the read API's integration tests."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest
from pydantic import RedisDsn
from redis.asyncio import Redis

from catalog.clients import redis_client
from catalog.settings import Settings


@pytest.fixture
async def unreachable_redis(settings: Settings) -> AsyncIterator[Redis]:
    """A Redis client towards a port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # the socket is closed again: connections to the port are refused
    url = RedisDsn(f"redis://127.0.0.1:{port}/0")
    client = redis_client(settings.model_copy(update={"redis_url": url}))
    try:
        yield client
    finally:
        await client.aclose()
