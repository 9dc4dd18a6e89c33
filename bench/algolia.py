"""Algolia protocol: shoppers' visits as InstantSearch sends them, multi-query vs one by one.

    .venv/bin/python -m bench.algolia --duration 30 --connections 16

Against the running read API (`make up`). Every step of a visit (a keystroke,
a refinement, a page) is sent two ways, in two phases with the same steps in
the same order: as InstantSearch does, one `POST /1/indexes/*/queries` holding
1 + (refined facets) requests, answered with one Elasticsearch `_msearch`; and
as the baseline, the same requests one after the other to
`POST /1/indexes/products/query`, the step done when the last answers. Before
the load, one step is sent both ways and the answers compared, so both sides
are known to answer the same thing. Reported: steps and requests per second,
step latency p50/p99, errors, the cache's `X-Cache` states. Each way runs
twice: with `Cache-Control: no-cache` (every request runs in Elasticsearch),
then with the read cache on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import httpx
import orjson
import typer
import uvloop
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from bench.algolia_visits import INDEX, Request, visit_steps
from bench.read_http import Origin, request_bytes
from bench.read_load import run_load
from bench.read_queries import popular_texts
from bench.read_report import cache_cell, errors_cell, ms_cell, ratio_cell
from bench.sync import service_url
from catalog.settings import get_settings
from tests.bulk_load import editor_key

app = typer.Typer(add_completion=False)
console = Console(stderr=True)
MULTI_PATH = "/1/indexes/*/queries"
MULTI_LABEL = "one multi-query per step (`/1/indexes/*/queries`, one `_msearch`)"
SINGLE_LABEL = "the same requests one by one (`/1/indexes/products/query`)"
PHASES = (
    ("multi_uncached", True, False),
    ("single_uncached", False, False),
    ("multi_cached", True, True),
    ("single_cached", False, True),
)
# (multi phase, single phase, how); a no-cache answer is stored, so each cached phase
# starts with the entries its uncached phase left
PAIRS = (
    ("multi_uncached", "single_uncached", "`Cache-Control: no-cache`"),
    ("multi_cached", "single_cached", "read cache on"),
)
SINGLE_PATH = f"/1/indexes/{INDEX}/query"


def _headers(editor_key: str, cached: bool) -> dict[str, str]:
    # cached: a storefront's requests (the public placeholder key); uncached: an editor's
    # key, since only editors and admins may skip the cache
    headers = {
        "Content-Type": "application/json",
        "X-Algolia-Application-Id": "catalog-search",
        "X-Algolia-API-Key": "public" if cached else editor_key,
    }
    if not cached:
        headers["Cache-Control"] = "no-cache"  # every request runs in Elasticsearch
    return headers


def _single_body(request: Request) -> bytes:
    return orjson.dumps({k: v for k, v in request.items() if k != "indexName"})


async def _top_values(
    client: httpx.AsyncClient, texts: Sequence[str]
) -> dict[str, tuple[str | None, str | None]]:
    """The most frequent brand and colour under each text: what a shopper would pick."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for text in texts:
        body = {"query": text, "hitsPerPage": 0, "facets": ["brand", "attributes.color"]}
        answer = (await client.post(SINGLE_PATH, json=body)).raise_for_status().json()
        facets = answer.get("facets", {})

        def top(name: str, facets: dict[str, Any] = facets) -> str | None:
            counts: dict[str, int] = facets.get(name) or {}
            return max(counts, key=lambda value: counts[value]) if counts else None

        found[text] = (top("brand"), top("attributes.color"))
    return found


async def _same_answers(client: httpx.AsyncClient, step: list[Request]) -> None:
    """Both ways of sending a step give the same hits, totals and facet counts."""
    multi = (await client.post(MULTI_PATH, json={"requests": step})).raise_for_status().json()
    for request, together in zip(step, multi["results"], strict=True):
        alone = (await client.post(SINGLE_PATH, content=_single_body(request))).json()
        for field in ("nbHits", "facets"):
            if together.get(field) != alone.get(field):
                raise SystemExit(f"multi-query and single query differ in {field}: {request}")
        ids = [[h["objectID"] for h in a.get("hits", [])] for a in (together, alone)]
        if ids[0] != ids[1]:
            raise SystemExit(f"multi-query and single query differ in hits: {request}")


def _step_requests(
    origin: Origin, steps: list[list[Request]], multi: bool, cached: bool, editor_key: str
) -> Callable[[int], list[bytes]]:
    """Step n as wire requests: one multi-query, or its requests one by one."""

    def build(n: int) -> list[bytes]:
        step = steps[n % len(steps)]
        headers = _headers(editor_key, cached)
        if multi:
            body = orjson.dumps({"requests": step})
            return [request_bytes(origin, "POST", MULTI_PATH, headers, body)]
        return [request_bytes(origin, "POST", SINGLE_PATH, headers, _single_body(r)) for r in step]

    return build


def _rows(phases: dict[str, dict[str, Any]], connections: int) -> list[str]:
    out = [
        f"| InstantSearch visits, {connections} shoppers | steps/s | requests/s | p50 | p99 "
        "| errors | X-Cache |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for multi_key, single_key, how in PAIRS:
        for key, label in ((multi_key, MULTI_LABEL), (single_key, SINGLE_LABEL)):
            p = phases[key]
            out.append(
                f"| {label}, {how} ({p['seconds']:.0f} s) | {p['rate']:,.1f} | "
                f"{p['request_rate']:,.1f} | {ms_cell(p['p50_ms'])} | {ms_cell(p['p99_ms'])} | "
                f"{errors_cell(p)} | {cache_cell(p['cache'])} |"
            )
        a, b = phases[multi_key], phases[single_key]
        out.append(
            f"| ratio multi-query / one by one, {how} | {ratio_cell(a['rate'], b['rate'])} | "
            f"{ratio_cell(a['request_rate'], b['request_rate'])} | "
            f"{ratio_cell(a['p50_ms'], b['p50_ms'])}x | "
            f"{ratio_cell(a['p99_ms'], b['p99_ms'])}x | | |"
        )
    return out


async def _run(read_url: str, opts: dict[str, Any]) -> dict[str, Any]:
    texts = popular_texts()[: opts["texts"]]
    async with httpx.AsyncClient(base_url=read_url, timeout=60) as client:
        console.print(f"finding the top brand and colour of {len(texts)} queries")
        top = await _top_values(client, texts)
        steps = visit_steps(texts, top, opts["visits"], opts["seed"], opts["zipf_s"])
        await _same_answers(client, steps[-2])  # a step with refinements
    sizes = [len(s) for s in steps]
    console.print(f"{len(steps):,} steps, {sum(sizes) / len(sizes):.2f} requests per step")
    origin = Origin.of(read_url)
    phases: dict[str, dict[str, Any]] = {}
    columns = (TextColumn("{task.description:<10}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        for key, multi, cached in PHASES:
            result = await run_load(
                key,
                origin,
                _step_requests(origin, steps, multi, cached, opts["editor_key"]),
                opts["connections"],
                opts["duration"],
                opts["warmup"],
                progress,
                weight=lambda n: len(steps[n % len(steps)]),
            )
            phases[key] = result.summary()
    return {"connections": opts["connections"], "steps": len(steps), "phases": phases}


@app.command()
def main(
    duration: Annotated[float, typer.Option(min=1, help="measured seconds of each side")] = 30,
    warmup: Annotated[float, typer.Option(min=0, help="unmeasured seconds before each")] = 5,
    connections: Annotated[int, typer.Option(min=1, help="shoppers at once")] = 16,
    visits: Annotated[int, typer.Option(min=1, help="different visits in the sequence")] = 500,
    texts: Annotated[int, typer.Option(min=1, help="popular queries the visits draw from")] = 60,
    zipf_s: Annotated[float, typer.Option(min=0, help="Zipf exponent of query popularity")] = 1.0,
    seed: Annotated[int, typer.Option()] = 2001,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write the numbers to this file")
    ] = None,
    read_url: Annotated[str | None, typer.Option(help="default: CATALOG_READ_API_*")] = None,
) -> None:
    """Shoppers' InstantSearch visits: multi-query per step against the same requests one by one."""
    settings = get_settings()
    url = service_url(read_url, settings.read_api_host, settings.read_api_port)
    opts: dict[str, Any] = {
        "duration": duration,
        "warmup": warmup,
        "connections": connections,
        "visits": visits,
        "texts": texts,
        "zipf_s": zipf_s,
        "seed": seed,
    }
    with editor_key(settings, "bench algolia") as key:
        opts["editor_key"] = key
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            results = runner.run(_run(url, opts))
    print("\n".join(_rows(results["phases"], connections)))
    if json_out is not None:
        json_out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
        console.print(f"wrote {json_out}")


if __name__ == "__main__":
    app()
