"""Search cost: Elasticsearch's own time per search, the system's bodies beside plain BM25.

    .venv/bin/python -m bench.search_cost --catalog demo --products 20000
    .venv/bin/python -m bench.search_cost --catalog demo --products 200000
    .venv/bin/python -m bench.search_cost --catalog chorus

Against the running Elasticsearch only (CATALOG_ES_URL); the read API, the
cache and MongoDB are not involved. The catalog goes into a scratch index of
its own, made and filled as production makes and fills the read model (see
bench/search_cost_index.py), kept for the next run unless `--drop`. Then the
same searches run as three variants on that index, in the same run, with the
same aggregations, post_filter, sort, paging and highlight: the requests the
read API sends (bench/search_cost_searches.py), a plain BM25 query, and plain
BM25 without aggregations (bench/search_cost_bodies.py). Every `_search` skips the shard request
cache. Reported: `took` and client latency of one sequential pass, and
searches a second under `--clients` closed-loop clients (see
bench/search_cost_measure.py); stdout carries the markdown, progress goes to
stderr.

Only this module and the bench/search_cost_*.py beside it are needed: copied
into an older checkout (one without search stages), they measure it as it is.
"""

from __future__ import annotations

import asyncio
import csv
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
import uvloop
from elasticsearch import AsyncElasticsearch
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bench import search_cost_measure as measure
from bench.read_http import Connection, Origin
from bench.search_cost_index import (
    Source,
    chorus_source,
    demo_source,
    ensure_index,
    scratch_name,
)
from bench.search_cost_report import rows, summary_line
from bench.search_cost_searches import (
    CHORUS_FACETS,
    CostSearch,
    chorus_searches,
    demo_searches,
    has_stages,
)
from catalog.settings import Settings, get_settings

app = typer.Typer(add_completion=False)
console = Console(stderr=True)  # progress and notes; stdout carries only the markdown
ROOT = Path(__file__).resolve().parents[1]
CHORUS_DIR_VARIABLE = "CATALOG_CHORUS_DIR"  # as the relevance harness reads it
CHORUS_PRODUCTS = "products.ndjson.gz"
CHORUS_JUDGMENTS = "judgments-dev.csv"


class Catalog(StrEnum):
    """The catalogs the benchmark knows."""

    demo = "demo"
    chorus = "chorus"


@dataclass(frozen=True)
class Options:
    """What to measure and how hard."""

    catalog: Catalog
    products: int
    searches: int
    seed: int
    clients: int
    duration_s: float
    rounds: int
    reuse: bool
    drop: bool
    chorus_dir: Path


def _progress(counted: bool = True) -> Progress:
    # the load phases count tenths of a second, not searches: no "n/m" for them
    counts = (MofNCompleteColumn(),) if counted else ()
    columns = (TextColumn("{task.description:<40}"), BarColumn(), *counts, TimeElapsedColumn())
    return Progress(*columns, console=console)


def tree() -> str:
    """The checkout measured: its commit, and whether tracked files differ from it."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(ROOT), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("diff", "HEAD", "--name-only").split()
    if not changed:
        return f"`{commit}`"
    # named, so a reader sees whether the changes touch what is measured
    shown = ", ".join(changed[:4]) + (f" and {len(changed) - 4} more" if len(changed) > 4 else "")
    return f"`{commit}` with uncommitted changes to {shown}"


def chorus_queries(path: Path) -> list[str]:
    """The judged queries of a Chorus judgments file, once each, in the file's order."""
    with path.open(newline="", encoding="utf-8") as file:
        return list(dict.fromkeys(row["query"] for row in csv.DictReader(file)))


def _workload(opts: Options, settings: Settings) -> tuple[Source, list[CostSearch], str]:
    if opts.catalog is Catalog.demo:
        searches = demo_searches(settings, opts.searches, opts.seed)
        mix = f"the read benchmark's distinct faceted searches, seed {opts.seed}, native protocol"
        return demo_source(opts.products), searches, mix
    texts = chorus_queries(opts.chorus_dir / CHORUS_JUDGMENTS)
    mix = (
        f"the judged dev queries, Algolia protocol, facets {', '.join(CHORUS_FACETS)}, "
        "hitsPerPage 20"
    )
    return chorus_source(opts.chorus_dir / CHORUS_PRODUCTS), chorus_searches(texts), mix


async def run(opts: Options, settings: Settings, es_url: str, prefix: str) -> dict[str, Any]:
    """Build or reuse the scratch index, measure the three variants, return the numbers."""
    started, load_start = time.perf_counter(), os.getloadavg()
    measured = {"tree": tree(), "stages": has_stages()}  # the checkout may change meanwhile
    source, searches, mix = _workload(opts, settings)
    es = AsyncElasticsearch([es_url], timeout=300, max_retries=0)
    try:
        with _progress() as progress:
            loaded, how = await ensure_index(es, settings, prefix, source, opts.reuse, progress)
        console.print(f"{loaded.index}: {loaded.documents:,} documents, {how}")
        connection = Connection(Origin.of(es_url))
        try:
            with _progress() as progress:
                plan = await measure.plan(connection, loaded.index, searches, progress)
                sequential = await measure.sequential(connection, plan.steps, progress)
        finally:
            await connection.close()
        with _progress(counted=False) as progress:
            load = await measure.throughput(
                connection.origin, plan.steps, opts.clients, opts.duration_s, opts.rounds, progress
            )
    finally:
        if opts.drop:
            scratch = scratch_name(prefix, source)
            await es.indices.delete(index=scratch, ignore_unavailable=True)
            console.print(f"dropped {scratch}")
        await es.close()
    return {
        "command": "python -m bench.search_cost " + shlex.join(sys.argv[1:]),
        **measured,
        "catalog": opts.catalog.value,
        "products": loaded.documents,
        "index": {"name": loaded.index, "how": how, "seconds": loaded.seconds},
        "searches": len(searches),
        "mix": mix,
        "tolerant": plan.tolerant,
        "no_hits": plan.no_hits,
        "suggestions": plan.suggestions,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_start": list(load_start),
        "load_end": list(os.getloadavg()),
        "cpus": os.cpu_count(),
        "clients": opts.clients,
        "duration_s": opts.duration_s,
        "run_seconds": time.perf_counter() - started,
        "sequential": {name: t.summary() for name, t in sequential.items()},
        "throughput": {name: t.summary() for name, t in load.items()},
    }


@app.command()
def main(
    catalog: Annotated[Catalog, typer.Option(help="which catalog to load")] = Catalog.demo,
    products: Annotated[int, typer.Option(min=1, help="demo products to generate")] = 20_000,
    searches: Annotated[int, typer.Option(min=1, help="demo searches (Chorus: its 67)")] = 500,
    seed: Annotated[int, typer.Option(help="seed of the demo searches")] = 1001,
    clients: Annotated[int, typer.Option(min=1, help="concurrent clients of the throughput")] = 4,
    duration: Annotated[
        float, typer.Option(min=1, help="measured throughput seconds per variant")
    ] = 20,
    rounds: Annotated[
        int, typer.Option(min=1, help="throughput rounds, the variants' order alternating")
    ] = 2,
    reuse: Annotated[
        bool, typer.Option(help="keep a scratch index that matches (definition, documents)")
    ] = True,
    drop: Annotated[bool, typer.Option(help="delete the scratch index at the end")] = False,
    chorus_dir: Annotated[
        Path | None,
        typer.Option(help=f"Chorus files; default ${CHORUS_DIR_VARIABLE} or ../shared/…/chorus"),
    ] = None,
    es_url: Annotated[
        str | None, typer.Option(help="comma-separated, the first is used; CATALOG_ES_URL")
    ] = None,
    index_prefix: Annotated[
        str | None, typer.Option(help="default: CATALOG_ES_INDEX_PREFIX")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write the numbers to this file")
    ] = None,
) -> None:
    """Elasticsearch time and throughput of the system's search bodies beside plain BM25."""
    settings = get_settings()
    default_dir = ROOT.parent / "shared" / "relevance" / "chorus"
    folder = chorus_dir or Path(os.environ.get(CHORUS_DIR_VARIABLE, default_dir))
    opts = Options(
        catalog, products, searches, seed, clients, duration, rounds, reuse, drop, folder
    )
    url = (es_url.split(",")[0] if es_url else settings.es_urls[0]).rstrip("/")
    prefix = index_prefix or settings.es_index_prefix
    # uvloop, as the read benchmark: the load generator must cost far less than ES
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        results = runner.run(run(opts, settings, url, prefix))
    print("\n".join(rows(results)))
    console.print(summary_line(results))
    if json_out is not None:
        json_out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
        console.print(f"wrote {json_out}")


if __name__ == "__main__":
    app()
