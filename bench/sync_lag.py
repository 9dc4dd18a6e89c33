"""Lag: single-product writes at a steady rate, each timed until its version is searchable.

Writes are open-loop: write i is issued at `start + i / rate` whatever earlier
writes are doing, over a few connections. A write's lag counts from when it is
issued, so waiting for a free connection counts against it; the write API's
latency counts from when the request goes out on a connection. A poller asks Elasticsearch
every few tens of milliseconds, with a search (not a realtime get, so the
refresh is included), which versions of the recently written products it finds.
A write's lag ends at the first answer showing its version or a newer one.

Beside it, when a read API is given, a second poller asks the read API for the
product pages of the recently written products, as shoppers would: through
its Redis cache, every few hundred milliseconds. A write is shown there once
a page carries its stock level (each write sets a stock level of its own);
that lag includes the cache's share (generation advance, stale window).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from rich.progress import Progress

from bench.sync_target import Target

MAX_IDS_PER_POLL = 10_000  # the index's max_result_window
READ_API_PAGES_PER_POLL = 100  # bounds the poller's own load when a backlog builds up
READ_API_CONCURRENCY = 4
STOCK_BASE = 100_000  # above any demo stock level


@dataclass
class VersionWatch:
    """Written versions not yet searchable, and the lag of each one that became so."""

    pending: dict[str, list[tuple[int, float, float]]] = field(
        default_factory=dict
    )  # id: (version, issued, acknowledged)
    lags: list[float] = field(default_factory=list)
    # from the write API's answer until searchable: the sync's own share
    acked_lags: list[float] = field(default_factory=list)
    issued: list[float] = field(default_factory=list)  # when each write of `lags` was sent

    def expect(self, product_id: str, version: int, issued: float, acked: float) -> None:
        """Wait for this version (or a newer one) of the product to become searchable."""
        self.pending.setdefault(product_id, []).append((version, issued, acked))

    def found(self, product_id: str, version: int, at: float) -> int:
        """A search showed this version at `at`; settles the writes it covers."""
        waiting = self.pending.get(product_id, [])
        left = [entry for entry in waiting if entry[0] > version]
        settled = [entry for entry in waiting if entry[0] <= version]
        self.lags.extend(at - issued for _, issued, _ in settled)
        self.issued.extend(issued for _, issued, _ in settled)
        self.acked_lags.extend(max(at - acked, 0.0) for _, _, acked in settled)
        if left:
            self.pending[product_id] = left
        else:
            self.pending.pop(product_id, None)
        return len(waiting) - len(left)

    def unsettled(self) -> int:
        """Writes still waiting to be seen."""
        return sum(len(w) for w in self.pending.values())


@dataclass
class LagRun:
    """What the steady-rate run measured."""

    sent: int = 0
    failed: int = 0
    seconds: float = 0.0  # first write issued until the last answer
    latencies: list[float] = field(default_factory=list)
    lags: list[float] = field(default_factory=list)
    acked_lags: list[float] = field(default_factory=list)
    not_searchable: int = 0
    # from the write API's answer until the read API's cached product page shows it
    shown_lags: list[float] = field(default_factory=list)
    not_shown: int = 0
    max_slip_s: float = 0.0  # how late the pacer issued a write after its due time
    max_wait_s: float = 0.0  # longest wait of an issued write for a free connection


async def _poll_rounds(
    watch: VersionWatch,
    every_s: float,
    stop: asyncio.Event,
    most: int,
    ask: Callable[[list[str]], Awaitable[None]],
) -> None:
    """Every `every_s`, `ask` about up to `most` pending products, until stopped and none wait."""
    while not (stop.is_set() and not watch.pending):
        began = time.perf_counter()
        if ids := list(watch.pending)[:most]:
            await ask(ids)
        await asyncio.sleep(max(0.0, every_s - (time.perf_counter() - began)))


async def poll(target: Target, watch: VersionWatch, every_s: float, stop: asyncio.Event) -> None:
    """Ask the read model for the pending products' versions until stopped and nothing waits."""

    async def ask(ids: list[str]) -> None:
        answer = await target.es.search(
            index=target.alias,
            body={
                "query": {"ids": {"values": ids}},
                "size": len(ids),
                "_source": False,
                "version": True,
            },
        )
        seen = time.perf_counter()  # an upper bound of when each version became searchable
        for hit in answer["hits"]["hits"]:
            watch.found(hit["_id"], int(hit["_version"]), seen)

    await _poll_rounds(watch, every_s, stop, MAX_IDS_PER_POLL, ask)


@dataclass(frozen=True)
class ReadPoll:
    """Where and how often the read API's product pages are asked (through its cache)."""

    client: httpx.AsyncClient
    every_s: float


async def poll_read_api(
    read: ReadPoll, watch: VersionWatch, stop: asyncio.Event, run_id: str
) -> None:
    """Ask the read API for the pending products' pages; a page's stock level names its write."""
    limit = asyncio.Semaphore(READ_API_CONCURRENCY)
    asked = 0

    async def page(product_id: str) -> None:
        nonlocal asked
        asked += 1
        # a shopper's request (no key): run the read API with CATALOG_RATE_LIMIT_PER_S=0,
        # as the read benchmark does, or this one address's bucket runs dry
        async with limit:
            response = await read.client.get(f"/v1/products/{product_id}")
        seen = time.perf_counter()
        if response.status_code == 200:
            watch.found(product_id, int(response.json()["stock"]) - STOCK_BASE, seen)

    async def ask(ids: list[str]) -> None:
        await asyncio.gather(*(page(product_id) for product_id in ids))

    await _poll_rounds(watch, read.every_s, stop, READ_API_PAGES_PER_POLL, ask)


def _changed(product: dict[str, Any], n: int) -> dict[str, Any]:
    # a stock level no demo product has and a new price each time: never "unchanged",
    # so every write makes a new version
    body = {k: v for k, v in product.items() if k not in ("id", "sale_price")}
    body["stock"] = STOCK_BASE + n
    body["price"] = round(product["price"] + (n % 50) / 100, 2)
    return body


async def steady_writes(
    target: Target,
    pool: Sequence[dict[str, Any]],
    rate: float,
    duration_s: float,
    poll_s: float,
    settle_s: float,
    progress: Progress,
    read: ReadPoll | None = None,
    run_id: str = "",
) -> LagRun:
    """Send `rate` PUTs per second for `duration_s`, cycling through the pool's products."""
    total = max(1, round(rate * duration_s))
    run, watch, stop = LagRun(), VersionWatch(), asyncio.Event()
    # the write number as the "version": each write's stock level carries it
    shown = VersionWatch()
    writes = progress.add_task("writes answered", total=total)
    seen = progress.add_task("versions searchable", total=total)
    pollers = [asyncio.create_task(poll(target, watch, poll_s, stop))]
    if read is not None:
        pollers.append(asyncio.create_task(poll_read_api(read, shown, stop, run_id)))

    connections = asyncio.Semaphore(target.connections)

    async def put(n: int, product: dict[str, Any]) -> None:
        issued = time.perf_counter()  # the write's lag counts from here
        try:
            async with connections:
                sent = time.perf_counter()  # the API's latency from here
                run.max_wait_s = max(run.max_wait_s, sent - issued)
                response = await target.write.put(
                    f"/v1/products/{product['id']}", json=_changed(product, n), timeout=30
                )
                response.raise_for_status()
        except httpx.HTTPError:
            run.failed += 1
            return
        finally:
            progress.advance(writes)
        acked = time.perf_counter()
        run.latencies.append(acked - sent)
        watch.expect(product["id"], int(response.headers["ETag"].strip('"')), issued, acked)
        if read is not None and product.get("status") == "active":  # others have no page
            shown.expect(product["id"], n, issued, acked)

    loop = asyncio.get_running_loop()
    started = loop.time()
    first_sent = time.perf_counter()
    tasks = []
    for n in range(total):
        due = started + n / rate
        if (delay := due - loop.time()) > 0:
            await asyncio.sleep(delay)
        run.max_slip_s = max(run.max_slip_s, loop.time() - due)
        tasks.append(asyncio.create_task(put(n, pool[n % len(pool)])))
        progress.update(seen, completed=len(watch.lags))
    await asyncio.gather(*tasks)
    run.sent, run.seconds = total, time.perf_counter() - first_sent
    stop.set()
    deadline = time.perf_counter() + settle_s
    while not all(p.done() for p in pollers) and time.perf_counter() < deadline:
        progress.update(seen, completed=len(watch.lags))
        await asyncio.sleep(0.1)
    for poller in pollers:
        if poller.done():
            poller.result()  # a failed poller fails the run
        poller.cancel()
    progress.update(seen, completed=len(watch.lags))
    run.lags, run.acked_lags, run.not_searchable = watch.lags, watch.acked_lags, watch.unsettled()
    run.shown_lags, run.not_shown = shown.acked_lags, shown.unsettled()
    return run


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile (p in 0-100) of the values; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
