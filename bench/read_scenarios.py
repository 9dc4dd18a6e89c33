"""The read benchmark's three scenarios, each returning its load phases' numbers.

Cached and peak requests carry no key, as shoppers' browsers send them (one
address: run the read API with `CATALOG_RATE_LIMIT_PER_S=0`, or its bucket
runs dry). Uncached requests carry an editor's key with `Cache-Control:
no-cache`: only editors and admins may skip the cache.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from rich.console import Console
from rich.progress import Progress

from bench.read_bare_app import serve_bare
from bench.read_http import Origin, request_bytes
from bench.read_load import LoadResult, run_load
from bench.read_queries import Search, distinct_searches, peak_mix
from bench.read_writes import WriteRun, create_pool, steady_writes
from bench.sync_target import Target
from catalog.settings import Settings
from read_api.query.builder import search_body, suggestion_body
from read_api.query.model import SearchQuery

PEAK_REQUESTS = 50_000  # the peak mix repeats after this many requests
CACHED_SEARCH = Search(q="iphone 15 hülle", facets=("brand", "categories", "effective_price"))


@dataclass(frozen=True)
class Load:
    """How hard and how long each phase drives its server."""

    connections: int
    duration_s: float
    warmup_s: float
    run_id: str
    # what every request accepts: "gzip" as browsers and InstantSearch send, or "identity"
    accept_encoding: str = "gzip"
    # sent with no-cache requests (an editor's key: anyone else's no-cache is ignored)
    editor_key: str = ""

    def fresh(self) -> dict[str, str]:
        """The headers of a request that must be computed anew."""
        return {"Cache-Control": "no-cache", "Authorization": f"Bearer {self.editor_key}"}


def _read_requests(
    origin: Origin, load: Load, paths: Sequence[str], extra: dict[str, str]
) -> Callable[[int], bytes]:
    def build(n: int) -> bytes:
        headers = {"Accept-Encoding": load.accept_encoding, **extra}
        return request_bytes(origin, "GET", paths[n % len(paths)], headers)

    return build


@dataclass(frozen=True)
class Captured:
    """An answer as sent: its bytes on the wire (compressed if it was) and its headers."""

    content: bytes
    headers: dict[str, str]


async def _capture(read_url: str, path: str, load: Load, console: Console) -> Captured:
    # the second GET of a fresh answer is a hit, unless the cache generation moved in between
    async with httpx.AsyncClient(base_url=read_url, timeout=30) as client:
        for _ in range(5):
            headers = {"Accept-Encoding": load.accept_encoding}
            async with client.stream("GET", path, headers=headers) as response:
                response.raise_for_status()
                raw = b"".join([chunk async for chunk in response.aiter_raw()])
            captured = Captured(raw, dict(response.headers))
            if response.headers.get("x-cache") == "hit":
                return captured
            await asyncio.sleep(0.2)
    console.print(
        f"[yellow]no cached answer after 5 tries (X-Cache: {captured.headers['x-cache']})"
    )
    return captured


async def cached(
    read_url: str, load: Load, progress: Progress, console: Console
) -> dict[str, LoadResult]:
    """One cached search on the read API, then the same bytes from a bare FastAPI app."""
    path = CACHED_SEARCH.path()
    captured = await _capture(read_url, path, load, console)
    console.print(
        f"cached answer: {len(captured.content):,} bytes on the wire "
        f"({captured.headers.get('content-encoding', 'identity')}), "
        f"X-Cache {captured.headers['x-cache']}, "
        f"rate limit {captured.headers.get('x-ratelimit-limit', 'off')}"
    )
    api_origin = Origin.of(read_url)
    api = await run_load(
        "cached: read API",
        api_origin,
        _read_requests(api_origin, load, [path], {}),
        load.connections,
        load.duration_s,
        load.warmup_s,
        progress,
    )
    async with serve_bare(captured.content, captured.headers) as bare_url:
        bare_origin = Origin.of(bare_url)
        bare = await run_load(
            "cached: bare app",
            bare_origin,
            _read_requests(bare_origin, load, [path], {}),
            load.connections,
            load.duration_s,
            load.warmup_s,
            progress,
        )
    return {"cached_api": api, "cached_bare": bare}


async def _same_answer(
    read_url: str, es_origin: Origin, alias: str, search: Search, body: bytes, load: Load
) -> bool:
    """Whether the read API and the direct body give the same total and the same first hits."""
    headers = load.fresh()
    async with httpx.AsyncClient(timeout=30) as client:
        api = (await client.get(f"{read_url}{search.path()}", headers=headers)).json()
        es = (
            await client.post(
                f"http://{es_origin.authority}/{alias}/_search",
                content=body,
                headers={"Content-Type": "application/json"},
            )
        ).json()
    api_ids = [h["id"] for h in api.get("hits", [])]
    es_ids = [h["_id"] for h in es["hits"]["hits"]]
    return bool(api.get("total") == es["hits"]["total"]["value"] and api_ids == es_ids)


def _finds_any(query: SearchQuery) -> dict[str, Any]:
    """A body that only says whether the search has a hit (its query and post filter)."""
    body = search_body(query)
    kept = {key: body[key] for key in ("query", "post_filter") if key in body}
    return kept | {"size": 0, "track_total_hits": 1}


async def _suggestion_follow_ups(
    es_url: str, alias: str, chosen: Sequence[Search], settings: Settings
) -> list[bytes | None]:
    """Per search, the suggestion request the read API adds when it finds nothing."""
    follow_ups: list[bytes | None] = []
    async with httpx.AsyncClient(base_url=es_url, timeout=60) as client:
        for start in range(0, len(chosen), 100):
            batch = chosen[start : start + 100]
            queries = [s.query(settings) for s in batch]
            lines = b"".join(
                orjson.dumps({}) + b"\n" + orjson.dumps(_finds_any(q)) + b"\n" for q in queries
            )
            answer = await client.post(
                f"/{alias}/_msearch",
                content=lines,
                headers={"Content-Type": "application/x-ndjson"},
            )
            answer.raise_for_status()
            for query, response in zip(queries, answer.json()["responses"], strict=True):
                body = suggestion_body(query) if response["hits"]["total"]["value"] == 0 else None
                follow_ups.append(orjson.dumps(body) if body else None)
    return follow_ups


async def uncached(
    read_url: str,
    es_url: str,
    alias: str,
    settings: Settings,
    searches: int,
    seed: int,
    load: Load,
    progress: Progress,
    console: Console,
) -> dict[str, LoadResult]:
    """Different faceted searches with `Cache-Control: no-cache`, then their bodies sent to ES."""
    chosen = distinct_searches(searches, seed)
    api_origin, es_origin = Origin.of(read_url), Origin.of(es_url)
    es_headers = {"Content-Type": "application/json"}
    bodies = [orjson.dumps(s.es_body(settings)) for s in chosen]
    follow_ups = await _suggestion_follow_ups(es_url, alias, chosen, settings)
    # a search without hits costs the read API a second request, for its
    # spelling suggestion: the baseline sends that one too, as one step
    es_steps = [
        [
            request_bytes(es_origin, "POST", f"/{alias}/_search", es_headers, sent)
            for sent in (body, *([follow_up] if follow_up else []))
        ]
        for body, follow_up in zip(bodies, follow_ups, strict=True)
    ]
    console.print(f"uncached: {sum(map(bool, follow_ups)):,} searches without hits")
    for search, body in list(zip(chosen, bodies, strict=True))[:3]:
        if not await _same_answer(read_url, es_origin, alias, search, body, load):
            console.print(f"[red]the direct Elasticsearch answer differs for {search.path()}")
    console.print(f"uncached: {len(chosen):,} different searches, the same order on both sides")
    # the read API goes first: what its run warms in Elasticsearch helps the baseline
    api = await run_load(
        "uncached: read API",
        api_origin,
        _read_requests(api_origin, load, [s.path() for s in chosen], load.fresh()),
        load.connections,
        load.duration_s,
        load.warmup_s,
        progress,
    )
    es = await run_load(
        "uncached: Elasticsearch",
        es_origin,
        lambda n: es_steps[n % len(es_steps)],
        load.connections,
        load.duration_s,
        load.warmup_s,
        progress,
        weight=lambda _: 1,
    )
    return {"uncached_api": api, "uncached_es": es}


@dataclass(frozen=True)
class Writes:
    """The writes beside the peak load."""

    rate: float
    pool: int
    connections: int
    seed: int
    timeout_s: float


async def peak(
    read_url: str,
    target: Target | None,
    writes: Writes,
    zipf_s: float,
    seed: int,
    load: Load,
    progress: Progress,
    versions: dict[str, int],
) -> tuple[LoadResult, WriteRun | None]:
    """The Zipf query mix on the read API while products are written at a steady rate.

    `versions` receives the last version written of each product, as soon as it is written.
    """
    paths = peak_mix(PEAK_REQUESTS, seed, zipf_s)
    origin = Origin.of(read_url)
    writer: asyncio.Task[WriteRun] | None = None
    stop = asyncio.Event()
    if target is not None:
        pool = await create_pool(
            target, load.run_id, writes.pool, writes.seed, writes.timeout_s, progress, versions
        )
        writer = asyncio.create_task(
            steady_writes(target.write, pool, writes.rate, stop, writes.connections, versions)
        )
    requests = _read_requests(origin, load, paths, {})
    seen: set[str] = set()
    repeats = 0

    def next_request(n: int) -> bytes:
        nonlocal repeats
        path = paths[n % len(paths)]
        repeats += path in seen
        seen.add(path)
        return requests(n)

    try:
        result = await run_load(
            "peak: query mix",
            origin,
            next_request,
            load.connections,
            load.duration_s,
            load.warmup_s,
            progress,
        )
    finally:
        stop.set()
    sent = len(seen) + repeats
    result.repeat_share = repeats / sent if sent else None
    return result, (await writer if writer is not None else None)


def summaries(results: dict[str, LoadResult]) -> dict[str, Any]:
    """The phases' numbers by key."""
    return {key: result.summary() for key, result in results.items()}
