"""Sync: how fast and how soon products written through the write API become searchable.

    .venv/bin/python -m bench.sync --count 100000 --rate 100 --duration 60

Runs against the running stack (`make up`; every URL defaults from the
CATALOG_* environment). Two parts, each with its numbers in one table:

- throughput: `--count` demo products (ids prefixed per run, so every line
  creates a product) in one streamed bulk request, from the first line sent
  until all are searchable through the alias; beside it the baseline of the
  same documents written straight into MongoDB (`insert_many`) and
  Elasticsearch (`_bulk` into a scratch index, then a refresh).
- lag: `PUT /v1/products/{id}` at a steady `--rate` for `--duration` seconds
  over `--pool` products, each write timed until a search finds its version.

Afterwards, once the unsynced count is back to its value before the run, the
run's products, change-log entries and documents are deleted directly (see
`Target.remove`); the live index then holds none of them.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import httpx
import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bench.mongo_round_trips import Process, per_product_rows, snapshot
from bench.sync_lag import LagRun, ReadPoll, steady_writes
from bench.sync_report import lag_rows, throughput_rows
from bench.sync_target import Target, open_target
from bench.sync_throughput import baseline, through_system
from catalog.demo.generator import generate_products
from catalog.settings import Settings, get_settings

app = typer.Typer(add_completion=False)
console = Console(stderr=True)  # progress and notes; stdout carries only the table


class Part(StrEnum):
    """Which measurements to run."""

    both = "both"
    throughput = "throughput"
    lag = "lag"


@dataclass(frozen=True)
class Options:
    """What to measure and how hard."""

    count: int
    seed: int
    batch: int
    rate: float
    duration: float
    connections: int
    pool: int
    poll_ms: int
    settle: float
    timeout: float
    part: Part
    read_poll_ms: int = 250  # 0: the read API's product pages are not asked
    worker_metrics_url: str = "http://127.0.0.1:8002/metrics"


def _products(count: int, seed: int, prefix: str) -> Iterator[dict[str, Any]]:
    for product in generate_products(count, seed):
        yield {**product, "id": f"{prefix}{product['id']}"}


def _urls(value: object) -> tuple[str, ...]:
    # one URL or several (a comma-separated option, or the settings' URL or URLs)
    if isinstance(value, str):
        return tuple(u.strip() for u in value.split(",") if u.strip())
    return tuple(str(u) for u in value) if isinstance(value, tuple | list) else (str(value),)


def _progress() -> Progress:
    columns = (TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn())
    return Progress(*columns, TimeElapsedColumn(), console=console)


async def _throughput(target: Target, opts: Options, run: str, ids: list[str]) -> list[str]:
    prefix = f"bench-sync-{run}-tp-"
    products = list(_products(opts.count, opts.seed, prefix))
    console.print(f"baseline: {opts.count:,} documents into a scratch collection and index")
    base = await baseline(target, products, opts.batch, run)
    ids.extend(p["id"] for p in products)
    processes = [
        Process("write API", f"{str(target.write.base_url).rstrip('/')}/metrics"),
        Process("workers", opts.worker_metrics_url),
    ]
    before = await snapshot(processes)
    with _progress() as progress:
        system = await through_system(target, products, prefix, opts.timeout, progress)
    trips = per_product_rows(before, await snapshot(processes), opts.count)
    return throughput_rows(opts.count, opts.batch, system, base) + trips


async def _lag(target: Target, opts: Options, read_url: str, run: str, ids: list[str]) -> list[str]:
    prefix = f"bench-sync-{run}-lag-"
    pool = list(_products(opts.pool, opts.seed + 1, prefix))
    ids.extend(p["id"] for p in pool)
    with _progress() as progress:
        setup = progress.add_task("pool searchable", total=len(pool))
        lines = [orjson.dumps({"op": "upsert", "product": p}) + b"\n" for p in pool]
        created = await target.bulk(lines)
        if len(created.versions) != len(pool):
            raise RuntimeError(f"the write API wrote {created.summary}: {created.errors}")
        await target.wait_searchable(
            prefix, len(pool), opts.timeout, lambda n: progress.update(setup, completed=n)
        )
        async with httpx.AsyncClient(base_url=read_url, timeout=30) as client:
            every_s = opts.read_poll_ms / 1000
            read = ReadPoll(client, every_s) if every_s else None
            result: LagRun = await steady_writes(
                target,
                pool,
                opts.rate,
                opts.duration,
                opts.poll_ms / 1000,
                opts.settle,
                progress,
                read,
                run,
            )
    if result.max_slip_s > 0.05:
        console.print(f"[yellow]the pacer sent a write {result.max_slip_s * 1000:.0f} ms late")
    return lag_rows(opts.rate, opts.duration, opts.connections, opts.pool, result)


@dataclass(frozen=True)
class Endpoints:
    """Where the running system is, and the editor key to write with (None: a new one)."""

    write_url: str
    read_url: str
    es_urls: tuple[str, ...]
    mongo_url: str
    mongo_db: str
    index_prefix: str
    key: str | None

    @classmethod
    def from_options(
        cls,
        settings: Settings,
        *,
        write_url: str | None,
        read_url: str | None,
        es_url: str | None,
        mongo_url: str | None,
        mongo_db: str | None,
        index_prefix: str | None,
        key: str | None,
    ) -> Endpoints:
        """The command line's URLs, each defaulting from the CATALOG_* settings."""
        return cls(
            service_url(write_url, settings.write_api_host, settings.write_api_port),
            service_url(read_url, settings.read_api_host, settings.read_api_port),
            _urls(es_url or settings.es_url),
            mongo_url or str(settings.mongo_url),
            mongo_db or settings.mongo_db,
            index_prefix or settings.es_index_prefix,
            key,
        )


def service_url(given: str | None, host: str, port: int) -> str:
    """The URL given on the command line, else the service's own on this machine."""
    return (given or local_url(host, port)).rstrip("/")


def local_url(host: str, port: int) -> str:
    """The URL of a service of this machine (a wildcard bind address becomes 127.0.0.1)."""
    host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{host}:{port}"


async def _clean(target: Target, run_id: str, ids: list[str], dirty: int, wait_s: float) -> None:
    # a failed clean-up must not hide what failed before it
    console.print(f"cleanup: removing {len(ids):,} products")
    try:
        note = await target.remove(f"bench-sync-{run_id}-", ids, dirty, wait_s)
    except Exception as exc:
        console.print(
            f"[red]cleanup failed ({exc!r}); retry: python -m bench.sync --clean {run_id}"
        )
        return
    console.print(f"cleanup: {note}")


async def run(opts: Options, where: Endpoints, clean: str | None) -> None:
    """Run the chosen parts, print the markdown table, remove everything the run wrote."""
    run_id = clean or uuid.uuid4().hex[:6]
    async with open_target(where, opts.connections, "bench sync") as target:
        dirty_before = await target.dirty()
        if clean:
            ids = await target.run_ids(f"bench-sync-{clean}-")
            await _clean(target, clean, ids, dirty_before, opts.timeout)
            return
        console.print(f"run {run_id}: products bench-sync-{run_id}-*, alias {target.alias}")
        rows: list[str] = []
        ids = []
        try:
            if opts.part in (Part.both, Part.throughput):
                rows += await _throughput(target, opts, run_id, ids)
            if opts.part in (Part.both, Part.lag):
                rows += await _lag(target, opts, where.read_url, run_id, ids)
            print("| sync benchmark | result |\n| --- | --- |")
            print("\n".join(rows))
        finally:
            if ids:
                await _clean(target, run_id, ids, dirty_before, opts.timeout)


@app.command()
def main(
    count: Annotated[int, typer.Option(min=1, help="products of the throughput part")] = 100_000,
    rate: Annotated[float, typer.Option(min=0.1, help="writes per second of the lag part")] = 100,
    duration: Annotated[float, typer.Option(min=1, help="seconds of steady writes")] = 60,
    connections: Annotated[int, typer.Option(min=1, help="HTTP connections to the write API")] = 8,
    pool: Annotated[
        int, typer.Option(min=1, help="products the steady writes cycle through")
    ] = 1000,
    poll_ms: Annotated[int, typer.Option(min=1, help="how often the lag poller searches")] = 25,
    settle: Annotated[float, typer.Option(help="seconds to wait for the last versions")] = 60,
    timeout: Annotated[float, typer.Option(help="seconds to wait for the read model")] = 900,
    seed: Annotated[int, typer.Option()] = 1001,
    batch: Annotated[int, typer.Option(min=1, help="baseline batch size")] = 500,
    part: Annotated[Part, typer.Option(help="which measurements to run")] = Part.both,
    read_poll_ms: Annotated[
        int,
        typer.Option(
            min=0, help="how often the lag part asks the read API's product pages (0: never)"
        ),
    ] = 250,
    write_url: Annotated[str | None, typer.Option(help="default: CATALOG_WRITE_API_*")] = None,
    read_url: Annotated[str | None, typer.Option(help="default: CATALOG_READ_API_*")] = None,
    es_url: Annotated[
        str | None, typer.Option(help="comma-separated; default: CATALOG_ES_URL")
    ] = None,
    mongo_url: Annotated[str | None, typer.Option(help="default: CATALOG_MONGO_URL")] = None,
    mongo_db: Annotated[str | None, typer.Option(help="default: CATALOG_MONGO_DB")] = None,
    index_prefix: Annotated[
        str | None, typer.Option(help="default: CATALOG_ES_INDEX_PREFIX")
    ] = None,
    key: Annotated[
        str | None, typer.Option(help="editor key; default: a new one, revoked after")
    ] = None,
    clean: Annotated[
        str | None, typer.Option(help="only remove the products an earlier run left (its run id)")
    ] = None,
) -> None:
    """Sync benchmark: bulk throughput until searchable, and lag of steady writes."""
    settings = get_settings()
    opts = Options(
        count,
        seed,
        batch,
        rate,
        duration,
        connections,
        pool,
        poll_ms,
        settle,
        timeout,
        part,
        read_poll_ms,
        f"http://127.0.0.1:{settings.worker_metrics_port}/metrics",
    )
    where = Endpoints.from_options(
        settings,
        write_url=write_url,
        read_url=read_url,
        es_url=es_url,
        mongo_url=mongo_url,
        mongo_db=mongo_db,
        index_prefix=index_prefix,
        key=key,
    )
    asyncio.run(run(opts, where, clean))


if __name__ == "__main__":
    app()
