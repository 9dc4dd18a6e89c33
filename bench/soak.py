"""Soak: half an hour of mixed load on the running stack, minute by minute, ending in an audit.

    .venv/bin/python -m bench.soak --minutes 30 --rate 50

Beside each other, for `--minutes`:

- single writes at `--rate` a second (open loop): PUT, PATCH and DELETE over
  a pool of products of the run's own (a deleted product is put back by a
  later PUT), each PUT and PATCH timed until a search finds its version;
- a bulk import of `--import-count` new products every `--import-every`
  seconds, timed until all are searchable;
- faceted searches through the read API at `--search-rate` a second;
- a rebuild of the index (`catalog reindex`, alias swap) at `--rebuild-at`.

It prints one row per minute (writes, lag percentiles by the minute a write
was sent, the p99 against the first minute's, searches and their p99, the
resident memory of every stack process), the imports, the rebuild, and the
audit once the writes have stopped and the last versions arrived. Then the
run's products are removed directly, as `bench.sync` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import httpx
import orjson
import typer
from rich.console import Console

from bench.read_queries import distinct_searches
from bench.sync import Endpoints
from bench.sync_lag import VersionWatch, percentile, poll
from bench.sync_target import Target, open_target
from catalog.clients import Clients
from catalog.demo.generator import generate_products
from catalog.settings import get_settings
from indexer.audit import audit

app = typer.Typer(add_completion=False)
console = Console(stderr=True)

# the single writes' mix: the rest are PUTs
PATCH_SHARE = 0.3
DELETE_SHARE = 0.1
SEARCHES = 200  # distinct faceted searches the searchers cycle through
MINUTE_S = 60.0
POLL_S = 0.1
SETTLE_S = 120.0  # waiting for the last versions after the writes stop


@dataclass(frozen=True)
class SoakOptions:
    """How long and how hard."""

    minutes: int
    rate: float
    pool: int
    import_count: int
    import_every: float
    search_rate: float
    rebuild_at: float  # minutes after the start
    devstack_dir: Path


@dataclass
class Minute:
    """What one minute of the run did (writes by the minute they were sent)."""

    writes: int = 0
    failed: int = 0
    lags: list[float] = field(default_factory=list)
    searches: list[float] = field(default_factory=list)
    search_errors: int = 0
    rss_mib: dict[str, float] = field(default_factory=dict)


@dataclass
class Soak:
    """The whole run's record."""

    started: float
    minutes: dict[int, Minute] = field(default_factory=lambda: defaultdict(Minute))
    imports: list[str] = field(default_factory=list)
    rebuild: str = "not run"

    def now(self) -> Minute:
        """The current minute's record."""
        return self.minutes[int((time.perf_counter() - self.started) // MINUTE_S)]

    def at(self, moment: float) -> Minute:
        """The record of the minute holding this moment."""
        return self.minutes[int((moment - self.started) // MINUTE_S)]


def _products(count: int, seed: int, prefix: str) -> Iterator[dict[str, Any]]:
    for product in generate_products(count, seed):
        yield {**product, "id": f"{prefix}{product['id']}"}


def _body(product: dict[str, Any], n: int) -> dict[str, Any]:
    # a new stock level and price each time: every write makes a new version
    body = {k: v for k, v in product.items() if k not in ("id", "sale_price")}
    body["stock"] = 100_000 + n
    body["price"] = round(product["price"] + (n % 50) / 100, 2)
    return body


async def _single_writes(
    target: Target, pool: list[dict[str, Any]], rate: float, until: float, soak: Soak
) -> VersionWatch:
    watch, stop = VersionWatch(), asyncio.Event()
    poller = asyncio.create_task(poll(target, watch, POLL_S, stop))
    rng = random.Random(7)  # noqa: S311 - benchmark input, not secrets
    deleted: set[str] = set()
    connections = asyncio.Semaphore(target.connections)

    async def write(n: int, product: dict[str, Any]) -> None:
        product_id = product["id"]
        roll = rng.random()
        issued = time.perf_counter()
        minute = soak.at(issued)
        minute.writes += 1
        try:
            async with connections:
                if product_id in deleted or roll >= PATCH_SHARE + DELETE_SHARE:
                    deleted.discard(product_id)
                    response = await target.write.put(
                        f"/v1/products/{product_id}", json=_body(product, n), timeout=30
                    )
                elif roll < DELETE_SHARE:
                    deleted.add(product_id)
                    response = await target.write.delete(f"/v1/products/{product_id}", timeout=30)
                    response.raise_for_status()
                    return  # a delete has no version to search for
                else:
                    patch = {"stock": 100_000 + n}
                    response = await target.write.patch(
                        f"/v1/products/{product_id}", json=patch, timeout=30
                    )
                response.raise_for_status()
        except httpx.HTTPError:
            minute.failed += 1
            return
        version = int(response.headers["ETag"].strip('"'))
        watch.expect(product_id, version, issued, time.perf_counter())

    loop = asyncio.get_running_loop()
    began, n, tasks = loop.time(), 0, set()
    total = int(rate * (until - time.perf_counter()))
    while n < total:
        due = began + n / rate
        if (delay := due - loop.time()) > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(write(n, pool[n % len(pool)]))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        n += 1
    await asyncio.gather(*tasks)
    stop.set()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(poller, SETTLE_S)
    return watch


async def _imports(
    target: Target, prefix: str, count: int, every_s: float, until: float, soak: Soak
) -> list[str]:
    ids: list[str] = []
    round_ = 0
    while time.perf_counter() + every_s / 2 < until:
        batch_prefix = f"{prefix}b{round_}-"
        products = list(_products(count, 500 + round_, batch_prefix))
        ids.extend(p["id"] for p in products)
        lines = [orjson.dumps({"op": "upsert", "product": p}) + b"\n" for p in products]
        sent = time.perf_counter()
        outcome = await target.bulk(lines)
        answered = time.perf_counter()
        searchable = await target.wait_searchable(batch_prefix, count, 900, lambda _: None)
        soak.imports.append(
            f"import {round_ + 1} at minute {int((sent - soak.started) // MINUTE_S)}: "
            f"{count:,} products, written {outcome.summary.get('created', 0):,} in "
            f"{answered - sent:.1f} s, all searchable after {searchable - sent:.1f} s"
        )
        round_ += 1
        await asyncio.sleep(max(0.0, sent + every_s - time.perf_counter()))
    return ids


async def _searches(read_url: str, rate: float, until: float, soak: Soak) -> None:
    searches = distinct_searches(SEARCHES, 11)
    rng = random.Random(3)  # noqa: S311 - benchmark input, not secrets
    async with httpx.AsyncClient(base_url=read_url, timeout=30) as client:
        n = 0
        while time.perf_counter() < until:
            search = rng.choice(searches)
            began = time.perf_counter()
            minute = soak.at(began)
            try:
                response = await client.get(search.path())  # a shopper's: no key
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                minute.searches.append(time.perf_counter() - began)
            else:
                minute.search_errors += 1
            n += 1
            await asyncio.sleep(max(0.0, began + 1 / rate - time.perf_counter()))


async def _rebuild(at_s: float, soak: Soak) -> None:
    await asyncio.sleep(at_s)
    began = time.perf_counter()
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "cli", "reindex"],
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - began
    minute = int((began - soak.started) // MINUTE_S)
    soak.rebuild = f"rebuild at minute {minute}: exit {done.returncode} after {took:.0f} s"
    if done.returncode:
        soak.rebuild += f": {done.stdout[-300:]}{done.stderr[-300:]}"


def _rss_by_service(devstack_dir: Path) -> dict[str, float]:
    """Resident memory (MiB) of every stack service's process group."""
    out: dict[str, float] = {}
    for pid_file in sorted((devstack_dir / "run").glob("*.pid")):
        listing = subprocess.run(
            ["ps", "-o", "rss=", "-g", pid_file.read_text().strip()],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        kib = sum(int(v) for v in listing.split())
        if kib:
            out[pid_file.stem] = kib / 1024
    return out


async def _memory(devstack_dir: Path, until: float, soak: Soak) -> None:
    while time.perf_counter() < until:
        soak.now().rss_mib = await asyncio.to_thread(_rss_by_service, devstack_dir)
        await asyncio.sleep(MINUTE_S)


def _assign_lags(watch: VersionWatch, soak: Soak) -> None:
    for issued, lag in zip(watch.issued, watch.lags, strict=True):
        soak.at(issued).lags.append(lag)


def _report(soak: Soak, watch: VersionWatch, report: dict[str, Any]) -> None:
    services = sorted({name for m in soak.minutes.values() for name in m.rss_mib})
    first_p99 = percentile(soak.minutes[0].lags, 99) if 0 in soak.minutes else float("nan")
    head = ["min", "writes", "failed", "lag p50", "p90", "p99", "max", "p99/first"]
    head += ["searches", "search p99", "errors", *(f"{s} MiB" for s in services)]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    # a write sent in the last milliseconds can fall into the minute after the end
    for number in sorted(n for n in soak.minutes if soak.minutes[n].writes > 1):
        m = soak.minutes[number]
        p99 = percentile(m.lags, 99)
        row = [str(number), str(m.writes), str(m.failed)]
        row += [f"{percentile(m.lags, p):.2f} s" for p in (50, 90, 99, 100)]
        row += [f"{p99 / first_p99:.2f}", str(len(m.searches))]
        row += [f"{percentile(m.searches, 99) * 1000:.0f} ms", str(m.search_errors)]
        row += [f"{m.rss_mib[s]:.0f}" if s in m.rss_mib else "" for s in services]
        print("| " + " | ".join(row) + " |")
    print()
    for line in [*soak.imports, soak.rebuild]:
        print(f"- {line}")
    print(f"- versions never searchable: {watch.unsettled()}")
    kinds = ("missing", "stale", "ahead", "extra", "in_flight")
    found = ", ".join(f"{k} {report[k]}" for k in kinds)
    print(f"- audit: clean {report['clean']}, MongoDB {report['mongodb_products']:,}, {found}")


async def run(opts: SoakOptions, where: Endpoints) -> None:
    """The soak, its report, and the removal of the run's products."""
    run_id = uuid.uuid4().hex[:6]
    prefix = f"bench-soak-{run_id}-"
    settings = get_settings()
    async with open_target(where, 16, "bench soak") as target:
        dirty_before = await target.dirty()
        pool = list(_products(opts.pool, 77, f"{prefix}p-"))
        ids = [p["id"] for p in pool]
        try:
            lines = [orjson.dumps({"op": "upsert", "product": p}) + b"\n" for p in pool]
            await target.bulk(lines)
            await target.wait_searchable(f"{prefix}p-", len(pool), 900, lambda _: None)
            console.print(f"run {run_id}: {opts.minutes} minutes of mixed load")
            soak = Soak(time.perf_counter())
            until = soak.started + opts.minutes * MINUTE_S
            rebuild = asyncio.create_task(_rebuild(opts.rebuild_at * MINUTE_S, soak))
            side = [
                asyncio.create_task(_searches(where.read_url, opts.search_rate, until, soak)),
                asyncio.create_task(_memory(opts.devstack_dir, until, soak)),
            ]
            imports = asyncio.create_task(
                _imports(target, prefix, opts.import_count, opts.import_every, until, soak)
            )
            watch = await _single_writes(target, pool, opts.rate, until, soak)
            ids += await imports
            await asyncio.gather(rebuild, *side)
            _assign_lags(watch, soak)
            clients = Clients.from_settings(settings)
            try:
                report = (await audit(clients)).as_document()
            finally:
                await clients.close()
            _report(soak, watch, report)
        finally:
            console.print(f"cleanup: removing {len(ids):,} products")
            console.print(await target.remove(prefix, ids, dirty_before, 900))


@app.command()
def main(
    minutes: Annotated[int, typer.Option(min=1, help="how long the load runs")] = 30,
    rate: Annotated[float, typer.Option(min=0.1, help="single writes per second")] = 50,
    pool: Annotated[int, typer.Option(min=1, help="products the single writes cycle")] = 2000,
    import_count: Annotated[int, typer.Option(min=1, help="products per bulk import")] = 5000,
    import_every: Annotated[float, typer.Option(min=10, help="seconds between imports")] = 300,
    search_rate: Annotated[float, typer.Option(min=0.1, help="searches per second")] = 10,
    rebuild_at: Annotated[float, typer.Option(min=0, help="minute of the rebuild")] = 15,
    devstack_dir: Annotated[Path, typer.Option(help="the stack's pid files")] = Path(".devstack"),
) -> None:
    """Soak benchmark: mixed load for half an hour, lag and memory per minute, a final audit."""
    settings = get_settings()
    where = Endpoints.from_options(
        settings,
        write_url=None,
        read_url=None,
        es_url=None,
        mongo_url=None,
        mongo_db=None,
        index_prefix=None,
        key=None,
    )
    opts = SoakOptions(
        minutes,
        rate,
        pool,
        import_count,
        import_every,
        search_rate,
        min(rebuild_at, minutes / 2),
        devstack_dir,
    )
    asyncio.run(run(opts, where))


if __name__ == "__main__":
    app()
