"""Fixtures of the indexer tests: a catalog of a test's own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from catalog.clients import Clients
from catalog.settings import Settings
from tests.isolation import isolated_clients


@pytest.fixture
async def own(settings: Settings) -> AsyncIterator[Clients]:
    """Clients on a database and index prefix no other test uses."""
    async with isolated_clients(settings, "it_own") as clients:
        yield clients
