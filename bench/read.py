"""Read side: cached and uncached search against their bare baselines, and a peak-load mix.

    .venv/bin/python -m bench.read --scenario all --duration 30 --peak-duration 60

Runs against the running stack (`make up`; every URL defaults from the
CATALOG_* environment). Three scenarios, one table (stdout; progress on stderr):

- cached: one faceted search answered from the Redis cache, under closed-loop
  load on `--connections` connections; beside it a bare FastAPI app
  (bench/read_bare_app.py, uvicorn started like devstack starts the read API)
  answering the same bytes and headers to the same requests.
- uncached: `--searches` different faceted searches with `Cache-Control:
  no-cache`; beside them the bodies `read_api.query.builder` builds for the
  same searches, sent straight to the alias's `_search`, in the same order
  (with the suggestion request the read API adds for a search without hits).
- peak: a Zipf mix of popular searches, listings and autocomplete while
  `--write-rate` PUTs a second go through the write API to the run's own
  products (created before, removed after); throughput, latency, errors and
  the cache's hit ratio (`X-Cache`).

`--json FILE` keeps the numbers; `--plot FILE` draws them (bench/read_plot.py
draws several runs, e.g. 20,000 and 200,000 products, into one PNG).
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
import uvloop
from elasticsearch import AsyncElasticsearch
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from bench import read_scenarios as scenarios
from bench.read_load import LoadResult
from bench.read_plot import plot
from bench.read_report import rows
from bench.read_writes import pool_ids, remove_run, run_prefix, wait_indexed
from bench.sync import Endpoints
from bench.sync_target import SyncTimeout, Target, open_target
from catalog.settings import Settings, get_settings
from indexer.index_definition import alias_name
from read_api.query.filters import ACTIVE_ONLY

app = typer.Typer(add_completion=False)
console = Console(stderr=True)  # progress and notes; stdout carries only the table
RESTART = (
    "CATALOG_RATE_LIMIT_PER_S=0 devstack/stack.sh stop read_api; "
    "CATALOG_RATE_LIMIT_PER_S=0 devstack/stack.sh start read_api"
)


def _progress() -> Progress:
    columns = (TextColumn("{task.description:<24}"), BarColumn(), TimeElapsedColumn())
    return Progress(*columns, console=console)


class Scenario(StrEnum):
    """Which scenarios to run."""

    all = "all"
    cached = "cached"
    uncached = "uncached"
    peak = "peak"


@dataclasses.dataclass(frozen=True)
class Options:
    """What to measure and how hard."""

    scenario: Scenario
    load: scenarios.Load
    peak_duration_s: float
    searches: int
    writes: scenarios.Writes
    zipf_s: float
    seed: int
    quick: bool


async def _products(es_url: str, alias: str) -> int:
    es = AsyncElasticsearch([es_url], timeout=30, max_retries=0)
    try:
        return int((await es.count(index=alias, body={"query": ACTIVE_ONLY}))["count"])
    finally:
        await es.close()


async def _clean(target: Target, run_id: str, versions: dict[str, int], wait_s: float) -> None:
    # a failed clean-up must not hide what failed before it
    prefix = run_prefix(run_id)
    console.print(f"cleanup: removing {len(versions):,} products {prefix}*")
    try:
        try:
            await wait_indexed(target, {i: v for i, v in versions.items() if v}, wait_s)
        except SyncTimeout as exc:  # remove them all the same: they must not stay in the catalog
            console.print(f"[yellow]cleanup: {exc} after {wait_s:g} s; removing anyway")
        console.print(f"cleanup: {await remove_run(target, prefix, list(versions))}")
    except Exception as exc:
        console.print(
            f"[red]cleanup failed ({exc!r}); retry: python -m bench.read --clean {run_id}"
        )


async def _peak(opts: Options, where: Endpoints) -> tuple[LoadResult, dict[str, Any] | None]:
    load = dataclasses.replace(opts.load, duration_s=opts.peak_duration_s)
    versions: dict[str, int] = {}
    if opts.writes.rate <= 0:
        with _progress() as progress:
            result, _ = await scenarios.peak(
                where.read_url, None, opts.writes, opts.zipf_s, opts.seed, load, progress, versions
            )
        return result, None
    async with open_target(where, opts.writes.connections, "bench read") as target:
        try:
            with _progress() as progress:
                result, writes = await scenarios.peak(
                    where.read_url,
                    target,
                    opts.writes,
                    opts.zipf_s,
                    opts.seed,
                    load,
                    progress,
                    versions,
                )
            return result, writes.summary() if writes else None
        finally:
            # every product the run may have created, at version 0 if it never said
            ids = pool_ids(load.run_id, opts.writes.pool, opts.writes.seed)
            await _clean(
                target, load.run_id, {i: versions.get(i, 0) for i in ids}, opts.writes.timeout_s
            )


async def _clean_run(where: Endpoints, run_id: str, wait_s: float) -> None:
    async with open_target(where, 1, "bench read") as target:
        ids = await target.run_ids(run_prefix(run_id))
        await _clean(target, run_id, dict.fromkeys(ids, 0), wait_s)


async def run(opts: Options, where: Endpoints, settings: Settings) -> dict[str, Any]:
    """Run the chosen scenarios and return their numbers."""
    read_url, es_url, alias = where.read_url, where.es_urls[0], alias_name(where.index_prefix)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "products": await _products(es_url, alias),
        "connections": opts.load.connections,
        "duration_s": opts.load.duration_s,
        "peak_duration_s": opts.peak_duration_s,
        "quick": opts.quick,
        "phases": {},
    }
    console.print(f"run {opts.load.run_id}: {results['products']:,} active products in {alias}")
    phases: dict[str, LoadResult] = {}
    if opts.scenario in (Scenario.all, Scenario.cached):
        with _progress() as progress:
            phases |= await scenarios.cached(read_url, opts.load, progress, console)
    if opts.scenario in (Scenario.all, Scenario.uncached):
        # an editor's key: only editors and admins may skip the cache with no-cache
        async with open_target(where, 1, "bench read no-cache") as target:
            load = dataclasses.replace(opts.load, editor_key=target.editor_key)
            with _progress() as progress:
                phases |= await scenarios.uncached(
                    read_url, es_url, alias, settings, opts.searches, opts.seed, load,
                    progress, console,
                )  # fmt: skip
    if opts.scenario in (Scenario.all, Scenario.peak):
        try:
            phases["peak"], results["writes"] = await _peak(opts, where)
        except Exception as exc:  # the other scenarios' numbers are still worth printing
            console.print(f"[red]the peak scenario failed: {exc!r}")
            results["failed"] = repr(exc)
    results["phases"] = scenarios.summaries(phases)
    if any(p.statuses.get(429) for p in phases.values()):
        console.print(
            f"[red]the read API rate-limited the benchmark (429): restart it with {RESTART}"
        )
    return results


def _finish(results: dict[str, Any], json_path: Path | None, plot_path: Path | None) -> None:
    print("\n".join(rows(results)))
    if json_path is not None:
        json_path.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
        console.print(f"wrote {json_path}")
    if plot_path is not None:
        plot([results], plot_path)
        console.print(f"wrote {plot_path}")


@app.command()
def main(
    scenario: Annotated[Scenario, typer.Option(help="which scenarios to run")] = Scenario.all,
    duration: Annotated[
        float, typer.Option(min=1, help="measured seconds of each cached/uncached side")
    ] = 30,
    peak_duration: Annotated[float, typer.Option(min=1, help="measured seconds of the peak")] = 60,
    warmup: Annotated[float, typer.Option(min=0, help="unmeasured seconds before each")] = 5,
    connections: Annotated[int, typer.Option(min=1, help="concurrent HTTP connections")] = 16,
    encoding: Annotated[
        str, typer.Option(help="Accept-Encoding of every request: gzip (as browsers) or identity")
    ] = "gzip",
    searches: Annotated[int, typer.Option(min=1, help="different uncached searches")] = 2000,
    write_rate: Annotated[
        float, typer.Option(min=0, help="PUTs a second during the peak (0: none)")
    ] = 50,
    write_pool: Annotated[int, typer.Option(min=1, help="products the writes cycle through")] = 300,
    write_connections: Annotated[int, typer.Option(min=1, help="connections of the writes")] = 16,
    zipf_s: Annotated[float, typer.Option(min=0, help="Zipf exponent of query popularity")] = 1.0,
    seed: Annotated[int, typer.Option()] = 1001,
    timeout: Annotated[float, typer.Option(help="seconds to wait for the read model")] = 300,
    quick: Annotated[
        bool, typer.Option(help="smoke run: 2 s per phase, 0.5 s warm-up, small pools")
    ] = False,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write the numbers to this file")
    ] = None,
    plot_out: Annotated[
        Path | None, typer.Option("--plot", help="draw the numbers into this PNG")
    ] = None,
    read_url: Annotated[str | None, typer.Option(help="default: CATALOG_READ_API_*")] = None,
    write_url: Annotated[str | None, typer.Option(help="default: CATALOG_WRITE_API_*")] = None,
    es_url: Annotated[
        str | None, typer.Option(help="comma-separated, the first is used; CATALOG_ES_URL")
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
    """Read benchmark: cached and uncached search against bare baselines, and a peak mix."""
    settings = get_settings()
    if quick:
        duration, peak_duration, warmup = 2, 2, 0.5
        searches, write_pool = min(searches, 200), min(write_pool, 50)
    run_id = uuid.uuid4().hex[:6]
    load = scenarios.Load(connections, duration, warmup, clean or run_id, encoding)
    writes = scenarios.Writes(write_rate, write_pool, write_connections, seed + 1, timeout)
    opts = Options(scenario, load, peak_duration, searches, writes, zipf_s, seed, quick)
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
    # uvloop, as uvicorn uses: the load generator must cost far less than what it measures
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        if clean:
            runner.run(_clean_run(where, clean, timeout))
            return
        results = runner.run(run(opts, where, settings))
    _finish(results, json_out, plot_out)
    if "failed" in results:
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
