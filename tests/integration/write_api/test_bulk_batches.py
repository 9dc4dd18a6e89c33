"""Bulk batches on the real MongoDB server: inserted optimistically while new, read first after.

An import of new products skips the read of the current state; a line whose
product exists after all is read and written again, with the right version,
change-log entry and carried state, whichever way the importer guessed.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from redis.asyncio import Redis

from catalog import pending
from catalog.clients import Clients
from catalog.products.mutations import OUTBOX_ENTRIES
from catalog.products.pipeline import WritePipeline
from catalog.products.storage import CHANGES
from catalog.products.store import ProductStore
from catalog.queue import TaskPublisher
from catalog.settings import Settings
from tests.isolation import isolated_clients
from write_api.bulk import BulkImporter


def _line(product_id: str, price: float) -> bytes:
    product = {"id": product_id, "title": "USB-C Kabel", "price": price, "stock": 2}
    return orjson.dumps({"op": "upsert", "product": product})


async def _lines(raw: list[bytes]) -> AsyncIterator[tuple[int, bytes | None]]:
    for number, line in enumerate(raw, start=1):
        yield number, line


async def _run(importer: BulkImporter, raw: list[bytes]) -> list[tuple[str, str, int]]:
    out = [orjson.loads(line) async for line in importer.run(_lines(raw))]
    return [(r["id"], r["status"], r["version"]) for r in out]


@pytest.fixture
def prefix() -> str:
    return f"IT-BULK-{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def clients(settings: Settings) -> AsyncIterator[Clients]:
    """A catalog of this test's own (its products are never indexed)."""
    async with isolated_clients(settings, "it_bulk") as own:
        yield own


async def test_guessing_new_or_existing_gives_the_same_outcome(
    clients: Clients, prefix: str
) -> None:
    store = ProductStore(clients.db, point_reads=True)
    publisher = TaskPublisher(clients.settings)  # not started: its batches stay here
    pipeline = WritePipeline(store, publisher)
    importer = BulkImporter(pipeline, "t", batch_size=4, max_line_bytes=10_000)
    a, b, c, d, n1, n2, n3 = (f"{prefix}-{s}" for s in ("A", "B", "C", "D", "N1", "N2", "N3"))

    assert await _run(importer, [_line(p, 1.0) for p in (a, b, c, d)]) == [
        (a, "created", 1),
        (b, "created", 1),
        (c, "created", 1),
        (d, "created", 1),
    ]
    assert importer.expect_new
    # guessed new: two exist after all, and are read and written as updates
    mixed = [_line(a, 2.0), _line(b, 1.0), _line(n1, 1.0), _line(n2, 1.0)]
    assert await _run(importer, mixed) == [
        (a, "updated", 2),
        (b, "unchanged", 1),
        (n1, "created", 1),
        (n2, "created", 1),
    ]
    assert importer.expect_new  # half of the batch was new
    # guessed new, all exist: from now on the importer reads first
    again = [_line(a, 2.0), _line(b, 1.0), _line(c, 3.0), _line(d, 1.0)]
    assert await _run(importer, again) == [
        (a, "unchanged", 2),
        (b, "unchanged", 1),
        (c, "updated", 2),
        (d, "unchanged", 1),
    ]
    assert not importer.expect_new
    assert await _run(importer, [_line(d, 4.0), _line(n3, 1.0)]) == [
        (d, "updated", 2),
        (n3, "created", 1),
    ]

    # every entry is still in its product's outbox (it holds the newest few), so
    # nothing was copied to the change log; they ride in the carried states
    logged = await clients.db[CHANGES].find({"product_id": {"$in": [a, b, c, d]}}).to_list()
    assert logged == []
    carried: dict[str, Any] = publisher._take_states([a, b, c, d, n3])
    versions = {pid: state["version"] for pid, state in carried.items()}
    assert versions == {a: 2, b: 1, c: 2, d: 2, n3: 1}
    assert carried[c]["price"] == 3.0
    outboxes = {pid: [e["_id"] for e in state["_outbox"]] for pid, state in carried.items()}
    assert outboxes == {p: [f"{p}#{n}" for n in range(1, v + 1)] for p, v in versions.items()}


async def test_a_writer_killed_after_its_writes_left_them_to_the_sweeper_and_a_retry_resends(
    clients: Clients, prefix: str, spare_redis: Redis
) -> None:
    store = ProductStore(clients.db, point_reads=True)
    # its background sender never runs: the process dies before any task goes out
    killed = TaskPublisher(clients.settings, spare_redis)
    importer = BulkImporter(WritePipeline(store, killed), "t", batch_size=4, max_line_bytes=10_000)
    a, b = f"{prefix}-A", f"{prefix}-B"
    assert await _run(importer, [_line(a, 1.0), _line(b, 2.0)]) == [
        (a, "created", 1),
        (b, "created", 1),
    ]
    # recorded before the writes: the sweeper finds them after its grace
    assert set(await pending.recorded_ids(spare_redis)) == {a, b}

    # the client sends the lines again to a process that runs: unchanged, yet
    # still pending, so their tasks go out carrying the stored states
    retried = TaskPublisher(clients.settings, spare_redis)
    importer = BulkImporter(WritePipeline(store, retried), "t", batch_size=4, max_line_bytes=10_000)
    assert await _run(importer, [_line(a, 1.0), _line(b, 2.0)]) == [
        (a, "unchanged", 1),
        (b, "unchanged", 1),
    ]
    carried: dict[str, Any] = retried._take_states([a, b])
    assert {pid: state["version"] for pid, state in carried.items()} == {a: 1, b: 1}

    # once the indexer confirmed one, sending both again resends only the other
    assert await pending.forget_synced(spare_redis, [a], await pending.clock_ms(spare_redis)) == 1
    again = TaskPublisher(clients.settings, spare_redis)
    importer = BulkImporter(WritePipeline(store, again), "t", batch_size=4, max_line_bytes=10_000)
    # reading first, as it does once it met existing products (a guessed insert
    # records its id as pending before MongoDB refuses it)
    importer.expect_new = False
    assert await _run(importer, [_line(a, 1.0), _line(b, 2.0)]) == [
        (a, "unchanged", 1),
        (b, "unchanged", 1),
    ]
    assert list(again._take_states([a, b])) == [b]


async def test_a_full_outbox_moves_to_the_change_log_and_the_history_stays_whole(
    clients: Clients, prefix: str
) -> None:
    store = ProductStore(clients.db, point_reads=True)
    importer = BulkImporter(
        WritePipeline(store, TaskPublisher(clients.settings)),
        "t",
        batch_size=4,
        max_line_bytes=10_000,
    )
    product_id = f"{prefix}-H"
    writes = OUTBOX_ENTRIES + 2
    for n in range(1, writes + 1):  # one line per batch: each write reads the one before
        assert await _run(importer, [_line(product_id, float(n))]) == [
            (product_id, "created" if n == 1 else "updated", n)
        ]
    logged = await clients.db[CHANGES].find({"product_id": product_id}).to_list()
    # the write that overflowed the outbox copied what it held, before writing
    assert sorted(e["version"] for e in logged) == list(range(1, OUTBOX_ENTRIES + 1))
    stored = await store.get(product_id)
    assert stored is not None
    assert [e["version"] for e in stored["_outbox"]] == [OUTBOX_ENTRIES + 1, OUTBOX_ENTRIES + 2]
    history = await store.history(product_id, None, 50)
    assert [e["version"] for e in history] == list(range(writes, 0, -1))
    assert history[0]["changes"]["price"] == {"from": float(writes - 1), "to": float(writes)}
