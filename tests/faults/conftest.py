"""Fixtures of the fault tests: a cluster of their own, clients on a catalog of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from pydantic import HttpUrl

from catalog.clients import Clients
from catalog.settings import Settings
from tests.e2e.conftest import keys
from tests.faults.cluster import Cluster, running_cluster
from tests.isolation import isolated_clients

__all__ = ["keys"]  # the worker crash test imports through the write API


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """A three-node Elasticsearch cluster (devstack/profiles/test-cluster.env)."""
    with running_cluster() as started:
        yield started


@pytest.fixture
async def own(settings: Settings, cluster: Cluster) -> AsyncIterator[Clients]:
    """Clients knowing every node of the cluster, on a database and index prefix of their own."""
    nodes = tuple(HttpUrl(url) for url in cluster.urls)
    async with isolated_clients(settings, "fault_es", es_url=nodes, es_replicas=1) as clients:
        yield clients
