"""Fixtures for tests that talk to the real services of the test stack."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from catalog.clients import Clients
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
