"""Writes beside the peak-load run: PUTs through the write API at a steady rate.

The products written are the run's own (`bench-read-<run>-…`, demo products
with a prefixed id), created in one bulk request before the load starts and
removed afterwards, so the demo catalog is left as it was. Writes are
open-loop: write i is issued at `start + i / rate` over a few connections,
whatever the answers' latency.

Removal is direct, as the sync benchmark's (`Target.remove`), but it does not
wait for the sync status's unsynced count: that count scans every product
and on FerretDB with a large catalog takes longer than its timeout. It waits
instead until a search shows each of the run's products at the last version
written, so no index task of the run is left to write after the deletes.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
from pymongo import DeleteOne
from rich.progress import Progress

from bench.sync_lag import percentile
from bench.sync_target import SyncTimeout, Target
from catalog.demo.generator import generate_products
from catalog.mongo_server import bulk_write_chunked, find_by_ids
from catalog.products.mutations import change_id
from catalog.products.storage import CHANGES, PRODUCTS

STOCK_BASE = 100_000  # above any demo stock level: every write is a change
POLL_S = 0.25
DELETE_ROUNDS = 3
DELETE_RECHECK_S = 2.0


def run_prefix(run_id: str) -> str:
    """The id prefix of a run's products."""
    return f"bench-read-{run_id}-"


@dataclass
class WriteRun:
    """What the background writes did."""

    rate: float
    sent: int = 0
    failed: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    max_slip_s: float = 0.0  # how late the pacer issued a write
    max_wait_s: float = 0.0  # longest wait of an issued write for a free connection

    def _ms(self, p: float) -> float | None:
        return round(percentile(self.latencies, p) * 1000, 1) if self.latencies else None

    def summary(self) -> dict[str, Any]:
        """The numbers, for JSON and the table."""
        ok = self.sent - self.failed
        return {
            "target_rate": self.rate,
            "sent": self.sent,
            "failed": self.failed,
            "rate": round(ok / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": self._ms(50),
            "p99_ms": self._ms(99),
            "max_slip_ms": round(self.max_slip_s * 1000, 1),
            "max_wait_ms": round(self.max_wait_s * 1000, 1),
        }


def pool_ids(run_id: str, size: int, seed: int) -> list[str]:
    """The ids of a run's products (the same every time for the same size and seed)."""
    return [f"{run_prefix(run_id)}{p['id']}" for p in generate_products(size, seed)]


async def create_pool(
    target: Target,
    run_id: str,
    size: int,
    seed: int,
    timeout_s: float,
    progress: Progress,
    versions: dict[str, int],
) -> list[dict[str, Any]]:
    """The run's products, created through the write API and searchable; records their versions."""
    prefix = run_prefix(run_id)
    pool = [{**p, "id": f"{prefix}{p['id']}"} for p in generate_products(size, seed)]
    task = progress.add_task("write pool searchable", total=size)
    lines = [orjson.dumps({"op": "upsert", "product": p}) + b"\n" for p in pool]
    created = await target.bulk(lines)
    versions.update(created.versions)
    if len(created.versions) != size:
        raise RuntimeError(f"the write API wrote {created.summary}: {created.errors}")
    await target.wait_searchable(
        prefix, size, timeout_s, lambda n: progress.update(task, completed=n)
    )
    return pool


def _changed(product: dict[str, Any], n: int) -> dict[str, Any]:
    body = {k: v for k, v in product.items() if k not in ("id", "sale_price")}
    body["stock"] = STOCK_BASE + n
    body["price"] = round(product["price"] + (n % 50) / 100, 2)
    return body


async def steady_writes(
    client: httpx.AsyncClient,
    pool: list[dict[str, Any]],
    rate: float,
    stop: asyncio.Event,
    connections: int,
    versions: dict[str, int],
) -> WriteRun:
    """PUT the pool's products in turn at `rate` per second until `stop` is set."""
    run = WriteRun(rate)
    free = asyncio.Semaphore(connections)

    async def put(n: int, product: dict[str, Any]) -> None:
        issued = time.perf_counter()
        async with free:
            sent = time.perf_counter()
            run.max_wait_s = max(run.max_wait_s, sent - issued)
            try:
                response = await client.put(
                    f"/v1/products/{product['id']}", json=_changed(product, n), timeout=30
                )
                response.raise_for_status()
            except httpx.HTTPError:
                run.failed += 1
                return
            run.latencies.append(time.perf_counter() - sent)
            version = int(response.headers["ETag"].strip('"'))
            versions[product["id"]] = max(versions.get(product["id"], 0), version)

    loop = asyncio.get_running_loop()
    started, began = loop.time(), time.perf_counter()
    tasks: list[asyncio.Task[None]] = []
    n = 0
    while not stop.is_set():
        due = started + n / rate
        if (delay := due - loop.time()) > 0:
            try:
                await asyncio.wait_for(stop.wait(), delay)
                break
            except TimeoutError:
                pass
        run.max_slip_s = max(run.max_slip_s, loop.time() - due)
        tasks.append(asyncio.create_task(put(n, pool[n % len(pool)])))
        n += 1
    await asyncio.gather(*tasks)
    run.sent, run.seconds = n, time.perf_counter() - began
    return run


async def wait_indexed(target: Target, versions: dict[str, int], timeout_s: float) -> None:
    """Wait until a search shows every product at (at least) its last written version."""
    pending = dict(versions)
    deadline = time.perf_counter() + timeout_s
    while pending:
        answer = await target.es.search(
            index=target.alias,
            body={
                "query": {"ids": {"values": list(pending)}},
                "size": len(pending),
                "_source": False,
                "version": True,
            },
        )
        for hit in answer["hits"]["hits"]:
            if int(hit["_version"]) >= pending.get(hit["_id"], 0):
                pending.pop(hit["_id"], None)
        if pending and time.perf_counter() > deadline:
            raise SyncTimeout(f"{len(pending):,} products not at their last version")
        await asyncio.sleep(POLL_S)


async def remove_run(target: Target, prefix: str, ids: list[str]) -> str:
    """Delete a run's products, their change log and their documents, directly."""
    projection = {"version": 1}
    found = await find_by_ids(target.db[PRODUCTS], ids, point_reads=True, projection=projection)
    versions = {doc["_id"]: int(doc["version"]) for doc in found}
    changes = [change_id(i, v) for i, last in versions.items() for v in range(1, last + 1)]
    await bulk_write_chunked(target.db[PRODUCTS], [DeleteOne({"_id": i}) for i in versions])
    await bulk_write_chunked(target.db[CHANGES], [DeleteOne({"_id": c}) for c in changes])
    for _ in range(DELETE_ROUNDS):  # again if a task already under way wrote after it
        await target.es.delete_by_query(
            index=target.alias,
            body={"query": {"prefix": {"id": prefix}}},
            conflicts="proceed",
            refresh=True,
        )
        await asyncio.sleep(DELETE_RECHECK_S)
        if not (left := await target.searchable(prefix)):
            break
    else:
        raise SyncTimeout(f"{left:,} documents of {prefix}* still searchable")
    return f"removed {len(versions):,} products and {len(changes):,} change entries"
