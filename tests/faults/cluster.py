"""A three-node Elasticsearch cluster of its own, started and driven through devstack/stack.sh."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from elasticsearch import AsyncElasticsearch

from tests.stack import ROOT, profile_env, stack

PROFILE = "test-cluster"  # devstack/profiles/test-cluster.env
NODE_PREFIX = "node-"  # the launcher names node N "node-N"
SETTLE_TIMEOUT = "120s"  # a liveness bound for the cluster, not a speed claim


@dataclass(frozen=True)
class Cluster:
    """The running cluster: its stack environment and where each node listens."""

    env: dict[str, str]
    nodes: int
    http_port: int
    transport_port: int

    @property
    def urls(self) -> list[str]:
        """Every node's HTTP URL."""
        return [f"http://127.0.0.1:{self.http_port + i}" for i in range(self.nodes)]

    def ports(self, number: int) -> tuple[int, int]:
        """HTTP and transport port of node NUMBER (1-based)."""
        return self.http_port + number - 1, self.transport_port + number - 1

    def stop_node(self, number: int) -> None:
        """Close one node for real; returns once the others see it gone."""
        stack("es-node", "stop", str(number), env=self.env)

    def start_node(self, number: int) -> None:
        """Start a stopped node again; returns once it has rejoined."""
        stack("es-node", "start", str(number), env=self.env)


@contextmanager
def running_cluster() -> Iterator[Cluster]:
    """Start the profile's cluster on empty data; stop it afterwards whatever happens."""
    env = profile_env(PROFILE)
    cluster = Cluster(
        env=env,
        nodes=int(env["DEVSTACK_ES_NODES"]),
        http_port=int(env["DEVSTACK_ES_PORT"]),
        transport_port=int(env["DEVSTACK_ES_TRANSPORT_PORT"]),
    )
    stack("down", "elasticsearch", env=env)  # a leftover of an interrupted run
    shutil.rmtree(ROOT / env["DEVSTACK_DIR"] / "data" / "elasticsearch", ignore_errors=True)
    try:
        stack("up", "elasticsearch", env=env, timeout_s=600)
        yield cluster
    finally:
        stack("down", "elasticsearch", env=env)


def listening(port: int) -> bool:
    """True when something accepts connections on 127.0.0.1:PORT."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def node_number(name: str) -> int:
    """The 1-based number of a node from its name."""
    return int(name.removeprefix(NODE_PREFIX))


async def master(es: AsyncElasticsearch) -> str:
    """The name of the elected master."""
    return str((await es.cat.master(format="json"))[0]["node"])


async def node_names(es: AsyncElasticsearch) -> set[str]:
    """The names of the nodes in the cluster."""
    return {row["name"] for row in await es.cat.nodes(format="json", h="name")}


async def shard_copies(es: AsyncElasticsearch, index: str) -> list[dict[str, Any]]:
    """Every copy of the index's shards: index, shard, prirep (p/r), state and node."""
    rows = await es.cat.shards(index=index, format="json", h="index,shard,prirep,state,node")
    return list(rows)


async def settle(es: AsyncElasticsearch, index: str, status: str = "green") -> None:
    """Wait until the index reaches STATUS with no shard moving (bounded, then fail)."""
    health = await es.cluster.health(
        index=index,
        wait_for_status=status,
        wait_for_no_relocating_shards=True,
        wait_for_no_initializing_shards=True,
        timeout=SETTLE_TIMEOUT,
        request_timeout=150,
        ignore=[408],
    )
    assert not health["timed_out"], f"{index} did not become {status}: {health}"


async def _move(es: AsyncElasticsearch, copy: dict[str, Any], to_node: str) -> None:
    command = {"index": copy["index"], "shard": int(copy["shard"])}
    await es.cluster.reroute(
        body={"commands": [{"move": {**command, "from_node": copy["node"], "to_node": to_node}}]}
    )
    await settle(es, copy["index"])


async def primaries_onto_master(es: AsyncElasticsearch, index: str) -> str:
    """Move every primary of the index onto the elected master; its name.

    Stopping that one node then forces both failovers at once: a new master is
    elected and the replicas are promoted to primaries.
    """
    leader = await master(es)
    names = await node_names(es)
    copies = await shard_copies(es, index)
    for shard in sorted({c["shard"] for c in copies}):
        on_shard = [c for c in copies if c["shard"] == shard]
        primary = next(c for c in on_shard if c["prirep"] == "p")
        if primary["node"] == leader:
            continue
        for replica in (c for c in on_shard if c["node"] == leader):
            # the master holds a replica: make room by moving it to a node without a copy
            free = names - {c["node"] for c in on_shard}
            await _move(es, replica, sorted(free)[0])
        await _move(es, primary, leader)
        copies = await shard_copies(es, index)
    return leader
