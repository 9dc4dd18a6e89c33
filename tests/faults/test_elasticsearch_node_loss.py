"""Issue 4: one node of a three-node Elasticsearch cluster stops under search and index load.

The read model lives at replicas 1 on a cluster of its own. Editors' changes go
through the write side's command handlers into MongoDB; a worker loop syncs
them with `sync_products`, a sweeper retries whatever stayed unsynced (as the
Celery task retries and the beat sweep do); searchers query through a client
that knows all three nodes. Mid-load the node holding the primary and the
master role is really stopped, later started again, while both loads go on.

No search may fail, and no write may be lost: afterwards every copy of the
index holds exactly MongoDB's version of every live product, and no tombstone.
"""

from __future__ import annotations

import asyncio

import pytest

from catalog.clients import Clients
from catalog.products.commands import ProductCommands
from catalog.products.storage import PRODUCTS
from catalog.products.store import ProductStore
from indexer.read_model import ensure_alias
from tests.audit import converged
from tests.faults import load
from tests.faults.cluster import (
    Cluster,
    listening,
    master,
    node_names,
    node_number,
    primaries_onto_master,
    settle,
    shard_copies,
)

COUNT = 200
SEARCHERS = 3
WARM_S = 5.0  # load before the node goes
DOWN_S = 10.0  # load while it is gone
AFTER_S = 6.0  # load once it is back


async def _mongo_state(clients: Clients) -> tuple[dict[str, int], set[str]]:
    live: dict[str, int] = {}
    tombstones: set[str] = set()
    async for doc in clients.db[PRODUCTS].find({}, {"version": 1, "deleted_at": 1}):
        if doc.get("deleted_at") is None:
            live[doc["_id"]] = doc["version"]
        else:
            tombstones.add(doc["_id"])
    return live, tombstones


async def _copy_versions(clients: Clients, alias: str, shard: str, node: str) -> dict[str, int]:
    """Id -> version as one copy of one shard holds them."""
    answer = await clients.es.search(
        index=alias,
        preference=f"_shards:{shard}|_only_nodes:{node}",
        query={"match_all": {}},
        size=10_000,
        version=True,
        _source=False,
    )
    assert answer["_shards"]["failed"] == 0, answer["_shards"]
    return {hit["_id"]: hit["_version"] for hit in answer["hits"]["hits"]}


async def _assert_every_copy_equals_mongo(clients: Clients, alias: str) -> None:
    """Each shard's copies agree, and together they hold exactly MongoDB's live versions."""
    await clients.es.indices.refresh(index=alias)
    live, tombstones = await _mongo_state(clients)
    assert tombstones, "the load deleted nothing: the tombstone check would be empty"
    copies: dict[str, list[tuple[str, dict[str, int]]]] = {}
    for copy in await shard_copies(clients.es, alias):
        held = await _copy_versions(clients, alias, copy["shard"], copy["node"])
        copies.setdefault(copy["shard"], []).append((copy["node"], held))
    indexed: dict[str, int] = {}
    for shard, held_by in copies.items():
        (first_node, first), *others = held_by
        for node, held in others:
            assert held == first, f"shard {shard}: the copies on {first_node} and {node} differ"
        indexed |= first
    assert not indexed.keys() & tombstones, "deleted products came back"
    wrong = {p: (v, indexed.get(p)) for p, v in live.items() if indexed.get(p) != v}
    assert not wrong, f"(MongoDB, Elasticsearch) versions differ: {list(wrong.items())[:10]}"
    assert indexed.keys() == live.keys()


@pytest.mark.timeout(900)
async def test_losing_a_node_fails_no_search_and_loses_no_write(
    cluster: Cluster, own: Clients
) -> None:
    queue = load.IndexQueue()
    commands = ProductCommands(ProductStore(own.db, point_reads=True), queue)
    alias = await ensure_alias(own.es, own.settings.es_index_prefix, own.settings.es_replicas)
    ids = await load.seed(own, commands, COUNT)
    await settle(own.es, alias)
    victim = await primaries_onto_master(own.es, alias)
    http_port, transport_port = cluster.ports(node_number(victim))

    tally = load.Tally()
    stop = asyncio.Event()
    loads = [
        asyncio.create_task(load.editor(commands, ids, stop, tally)),
        asyncio.create_task(load.worker(own, queue, stop, tally)),
        asyncio.create_task(load.sweeper(own, stop, tally)),
        *(asyncio.create_task(load.searcher(own, alias, stop, tally, i)) for i in range(SEARCHERS)),
    ]
    try:
        await asyncio.sleep(WARM_S)
        tally.phase = "stopping"
        await asyncio.to_thread(cluster.stop_node, node_number(victim))
        tally.phase = "down"
        # really gone: ports closed, the others elected a new master and promoted the replica
        assert not listening(http_port)
        assert not listening(transport_port)
        assert victim not in await node_names(own.es)
        assert await master(own.es) != victim
        primaries = [c for c in await shard_copies(own.es, alias) if c["prirep"] == "p"]
        assert primaries
        assert all(c["state"] == "STARTED" and c["node"] != victim for c in primaries), primaries
        await asyncio.sleep(DOWN_S)
        tally.phase = "starting"
        await asyncio.to_thread(cluster.start_node, node_number(victim))
        tally.phase = "after"
        assert victim in await node_names(own.es)
        await asyncio.sleep(AFTER_S)
    finally:
        stop.set()
        await asyncio.gather(*loads)

    await load.drain(own, tally)
    await settle(own.es, alias)  # the restarted node holds its copy again
    print(  # shown with -s / -rA: what the run went through
        f"\nvictim {victim}; searches {dict(tally.searches)}; writes {dict(tally.writes)};"
        f" failed syncs {len(tally.failed_syncs)}: {tally.failed_syncs[:3]};"
        f" products synced again by the sweeper {len(tally.retried)}"
    )
    assert tally.failed_searches == []
    assert tally.searches["down"] > 0
    assert tally.writes["down"] > 0
    assert tally.writes["after"] > 0
    await _assert_every_copy_equals_mongo(own, alias)
    await converged(own)  # and the audit agrees
