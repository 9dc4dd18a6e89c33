"""The loads of the fault tests: editors, the indexing worker and sweeper, searchers.

Editors change products through the write side's command handlers; a worker
loop syncs each change with `sync_products`, and a sweeper syncs again what
stayed unsynced (as the Celery task's retries and the beat sweep do), so a
sync that fails during a fault is retried, never hidden. Every outcome is
counted per phase of the fault.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.products.commands import ProductCommands
from catalog.products.model import ProductFields
from catalog.products.storage import Document, is_live
from indexer.sync import sync_products
from indexer.versions import changed_at, scan_unsynced

BATCH = 50  # ids per sync, as the write API batches index tasks
SWEEP_EVERY_S = 1.0
SWEEP_GRACE_MS = 2000  # the normal path gets this long before the sweeper helps
DRAIN_DEADLINE_S = 120  # a liveness bound for the final catch-up, not a speed claim
UNSYNCED_LIMIT = 100_000  # more than the test ever changes
WORDS = ("hülle", "kabel", "ladegerät", "panzerglas", "halterung", "powerbank")


@dataclass
class Tally:
    """What the loads did in which phase, and every failure with its reason."""

    phase: str = "before"
    searches: Counter[str] = field(default_factory=Counter)
    writes: Counter[str] = field(default_factory=Counter)
    failed_searches: list[str] = field(default_factory=list)
    failed_syncs: list[str] = field(default_factory=list)
    retried: set[str] = field(default_factory=set)


class IndexQueue:
    """The hand-off from the command handlers to the worker loop, in Celery's place.

    It offers what the handlers use of TaskPublisher (`enqueue`). The worker
    runs in-process so the test sees every sync and its outcome; the Celery path
    itself is covered by tests/e2e/indexing.
    """

    def __init__(self) -> None:
        self.ids: asyncio.Queue[str] = asyncio.Queue()

    def enqueue(
        self, product_ids: Iterable[str], states: Mapping[str, Document] | None = None
    ) -> None:
        """Queue ids for indexing, as TaskPublisher.enqueue does; the states are left
        out: this worker reads every product back, the path a lost state takes."""
        for product_id in product_ids:
            self.ids.put_nowait(product_id)

    async def record_before_write(self, product_ids: Sequence[str]) -> None:
        """As TaskPublisher.record_before_write; nothing to record: this worker's
        sweeper reads MongoDB's unsynced marks themselves."""

    async def batch(self, wait_s: float) -> list[str]:
        """Up to BATCH queued ids; empty when none arrives within WAIT_S."""
        try:
            ids = [await asyncio.wait_for(self.ids.get(), wait_s)]
        except TimeoutError:
            return []
        while len(ids) < BATCH and not self.ids.empty():
            ids.append(self.ids.get_nowait())
        return ids


def product_fields(n: int) -> ProductFields:
    """A valid product, different for every N, with a word the searches look for."""
    return ProductFields.model_validate(
        {
            "title": f"Zubehör {n} {WORDS[n % len(WORDS)]}",
            "price": 5 + n % 90,
            "stock": n,
            "categories": [["Handyzubehör", WORDS[n % len(WORDS)].capitalize()]],
            "attributes": {"color": "schwarz" if n % 2 else "weiß"},
        }
    )


async def sync(clients: Clients, ids: list[str], tally: Tally) -> None:
    """One worker task: a failure leaves the products marked unsynced for the sweeper."""
    try:
        result = await sync_products(clients, ids, point_reads=True)
    except Exception as exc:  # what fails the Celery task; its products stay dirty
        tally.failed_syncs.append(f"{tally.phase}: {len(ids)} ids: {exc!r}"[:300])
        return
    for product_id, reason in result.failed.items():
        tally.failed_syncs.append(f"{tally.phase}: {product_id}: {reason}"[:300])


async def unsynced(clients: Clients, grace_ms: int = 0) -> list[str]:
    """Products the index does not hold at their version, changed at least GRACE_MS ago."""
    cutoff = now_ms() - timedelta(milliseconds=grace_ms)
    found, _ = await scan_unsynced(clients, limit=UNSYNCED_LIMIT)
    return [doc["_id"] for doc in found if (changed_at(doc) or cutoff) <= cutoff]


async def seed(clients: Clients, commands: ProductCommands, count: int) -> list[str]:
    """Create COUNT products and sync them; their ids."""
    ids = [f"FAULT-{n:04d}" for n in range(count)]
    for n, product_id in enumerate(ids):
        await commands.upsert(product_id, product_fields(n), actor="fault-test", if_match=None)
    tally = Tally()
    for start in range(0, count, BATCH):
        await sync(clients, ids[start : start + BATCH], tally)
    assert tally.failed_syncs == [], "the healthy cluster refused the initial catalog"
    return ids


async def editor(
    commands: ProductCommands, ids: list[str], stop: asyncio.Event, tally: Tally
) -> None:
    """Change products as editors do: mostly patches, some deletes, deleted ones come back."""
    rng = random.Random(4)
    n = len(ids)
    while not stop.is_set():
        product_id = rng.choice(ids)
        current = await commands.store.get(product_id)
        if not is_live(current):
            await commands.upsert(product_id, product_fields(n), actor="fault-test", if_match=None)
        elif rng.random() < 0.1:
            await commands.delete(product_id, actor="fault-test", if_match=None)
        else:
            patch = {"stock": n, "price": 5 + n % 90}
            await commands.patch(product_id, patch, actor="fault-test", if_match=None)
        tally.writes[tally.phase] += 1
        n += 1
        await asyncio.sleep(0.01)


async def worker(clients: Clients, queue: IndexQueue, stop: asyncio.Event, tally: Tally) -> None:
    """The index task: sync each batch of changed ids."""
    while not (stop.is_set() and queue.ids.empty()):
        ids = await queue.batch(wait_s=0.2)
        if ids:
            await sync(clients, ids, tally)


async def sweeper(clients: Clients, stop: asyncio.Event, tally: Tally) -> None:
    """The beat sweep: products still unsynced after the grace period are synced again."""
    while not stop.is_set():
        await asyncio.sleep(SWEEP_EVERY_S)
        try:
            ids = await unsynced(clients, SWEEP_GRACE_MS)
        except Exception:  # noqa: S112 (the cluster cannot answer: next round)
            continue
        if ids:
            tally.retried.update(ids)
            await sync(clients, ids, tally)


async def searcher(
    clients: Clients, alias: str, stop: asyncio.Event, tally: Tally, seed: int
) -> None:
    """Full-text searches with a facet, as the storefront sends them; any failure counts."""
    rng = random.Random(seed)
    while not stop.is_set():
        word = rng.choice(WORDS)
        try:
            answer = await clients.es.search(
                index=alias,
                query={
                    "bool": {
                        "must": {"match": {"title": word}},
                        "filter": {"term": {"status": "active"}},
                    }
                },
                aggs={"categories": {"terms": {"field": "categories.lvl1"}}},
                size=10,
            )
        except Exception as exc:  # an error reaching the caller is a failed search
            tally.failed_searches.append(f"{tally.phase}: {exc!r}"[:300])
            continue
        shards = answer["_shards"]
        if answer["timed_out"] or shards["failed"] or shards["successful"] != shards["total"]:
            tally.failed_searches.append(f"{tally.phase}: timed_out={answer['timed_out']} {shards}")
        else:
            tally.searches[tally.phase] += 1
        await asyncio.sleep(0.01)


async def drain(clients: Clients, tally: Tally) -> None:
    """Sync whatever is still unsynced until nothing is (bounded: then the test fails)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DRAIN_DEADLINE_S
    while ids := await unsynced(clients):
        assert loop.time() < deadline, f"still unsynced after {DRAIN_DEADLINE_S}s: {ids[:10]}"
        tally.retried.update(ids)
        await sync(clients, ids, tally)
        await asyncio.sleep(0.5)
