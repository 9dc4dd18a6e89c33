"""Fixtures of the fault tests: a cluster of their own, clients on a catalog of their own."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from pydantic import HttpUrl

from catalog.clients import Clients
from catalog.settings import Settings
from tests.e2e.conftest import keys
from tests.faults.cluster import Cluster, running_cluster

__all__ = ["keys"]  # the worker crash test imports through the write API


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """A three-node Elasticsearch cluster (devstack/profiles/test-cluster.env)."""
    with running_cluster() as started:
        yield started


@pytest.fixture
async def own(settings: Settings, cluster: Cluster) -> AsyncIterator[Clients]:
    """Clients knowing every node of the cluster, on a database and index prefix of their own."""
    tag = uuid.uuid4().hex[:8]
    isolated = settings.model_copy(
        update={
            "mongo_db": f"fault_es_{tag}",
            "es_index_prefix": f"fault-es-{tag}",
            "es_url": tuple(HttpUrl(url) for url in cluster.urls),
            "es_replicas": 1,
        }
    )
    clients = Clients.from_settings(isolated)
    try:
        yield clients
    finally:
        await clients.mongo.drop_database(isolated.mongo_db)
        await clients.close()
