"""Timing the search-cost variants: one sequential pass (`took`, client latency), then throughput.

Invariants:
- every `_search` carries `request_cache=false`: the shard request cache would
  answer repeated bodies from memory and hide the cost being measured;
- a step is one search: for `system`, the requests the read API sent for it
  (the strict stage and, when that found too few, the tolerant one; see
  bench/search_cost_searches.py); all count (their `took` summed, the client
  latency of the whole step);
- the sequential pass comes after a warm-up pass over every step, and sends
  the variants of one search one after the other, their order rotating, so a
  change in the machine's load falls on all variants alike;
- throughput gives every variant the same clients and seconds, in rounds
  whose variant order alternates, each round starting at another search.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

import orjson
from rich.progress import Progress

from bench.read_http import Connection, Origin, Reply, request_bytes
from bench.read_load import LoadResult, run_load
from bench.search_cost_bodies import Body, bm25_body, noaggs_body
from bench.search_cost_searches import CostSearch
from bench.sync_lag import percentile

VARIANTS = ("system", "bm25", "bm25-noaggs")
Step = list[bytes]  # the requests of one search, sent one after the other


class SearchFailed(Exception):
    """Elasticsearch refused a body: the benchmark measures nothing useful then."""


@dataclass(frozen=True)
class Plan:
    """Per variant, the steps of every search; and what the strict stage found."""

    steps: dict[str, list[Step]]
    tolerant: int  # searches whose strict stage found too few, so two requests
    no_hits: int  # searches the system found nothing for (after its last stage)
    suggestions: int  # spelling-suggestion requests the read API added: not measured


@dataclass
class Timings:
    """One variant's sequential pass: per search, `took` and client latency in milliseconds."""

    took_ms: list[float] = field(default_factory=list)
    first_took_ms: list[float] = field(default_factory=list)  # the step's first request alone
    client_ms: list[float] = field(default_factory=list)
    requests: int = 0

    def summary(self) -> dict[str, Any]:
        """Means and nearest-rank percentiles."""
        took, client = self.took_ms, self.client_ms
        return {
            "searches": len(took),
            "requests_per_search": self.requests / len(took) if took else 0.0,
            "took_mean_ms": fmean(took) if took else None,
            "first_took_mean_ms": fmean(self.first_took_ms) if took else None,
            **{f"took_p{p}_ms": percentile(took, p) for p in (50, 95, 99)},
            "client_mean_ms": fmean(client) if client else None,
            **{f"client_p{p}_ms": percentile(client, p) for p in (50, 99)},
        }


def wire(origin: Origin, index: str, body: Mapping[str, Any]) -> bytes:
    """The HTTP request of one uncached `_search` on the index."""
    target = f"/{index}/_search?request_cache=false"
    headers = {"Content-Type": "application/json"}
    return request_bytes(origin, "POST", target, headers, orjson.dumps(body))


def _answer(reply: Reply) -> dict[str, Any]:
    answer: dict[str, Any] = orjson.loads(reply.body)
    if reply.status != 200:
        raise SearchFailed(f"HTTP {reply.status}: {str(answer.get('error'))[:500]}")
    return answer


async def plan(
    connection: Connection, index: str, searches: Sequence[CostSearch], progress: Progress
) -> Plan:
    """Every variant's steps: each search is run once as the read API runs it (a warm-up too)."""
    origin = connection.origin

    async def send(body: Body) -> dict[str, Any]:
        return _answer(await connection.send(wire(origin, index, body)))

    steps: dict[str, list[Step]] = {name: [] for name in VARIANTS}
    tolerant = no_hits = suggestions = 0
    task = progress.add_task("the read API's requests", total=len(searches))
    for search in searches:
        sent = await search.system(send)
        tolerant += len(sent.bodies) > 1
        no_hits += sent.hits == 0
        suggestions += sent.suggestions
        steps["system"].append([wire(origin, index, body) for body in sent.bodies])
        steps["bm25"].append([wire(origin, index, bm25_body(search.body, search.text))])
        steps["bm25-noaggs"].append([wire(origin, index, noaggs_body(search.body, search.text))])
        progress.advance(task)
    return Plan(steps, tolerant, no_hits, suggestions)


async def _timed(connection: Connection, step: Step) -> tuple[list[float], float]:
    """Elasticsearch's `took` of each request of the step, and the client's time, in ms."""
    took: list[float] = []
    spent = 0.0
    for raw in step:
        started = time.perf_counter()
        reply = await connection.send(raw)
        spent += time.perf_counter() - started
        took.append(float(_answer(reply)["took"]))  # parsed outside the timed window
    return took, spent * 1000


async def sequential(
    connection: Connection, steps: Mapping[str, list[Step]], progress: Progress
) -> dict[str, Timings]:
    """A warm-up pass over every step, then one measured pass, variants interleaved."""
    count = len(steps[VARIANTS[0]])
    task = progress.add_task("warm-up pass", total=count)
    for i in range(count):
        for name in VARIANTS:
            await _timed(connection, steps[name][i])
        progress.advance(task)
    timings = {name: Timings() for name in VARIANTS}
    task = progress.add_task("sequential pass", total=count)
    for i in range(count):
        shift = i % len(VARIANTS)
        for name in VARIANTS[shift:] + VARIANTS[:shift]:
            took, client = await _timed(connection, steps[name][i])
            timings[name].took_ms.append(sum(took))
            timings[name].first_took_ms.append(took[0])
            timings[name].client_ms.append(client)
            timings[name].requests += len(took)
        progress.advance(task)
    return timings


@dataclass
class Throughput:
    """One variant's closed-loop load, summed over its rounds."""

    seconds: float = 0.0
    ok: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)

    def add(self, result: LoadResult) -> None:
        """Count one round in."""
        self.seconds += result.seconds
        self.ok += len(result.latencies)
        self.errors += result.errors
        self.latencies += result.latencies

    def summary(self) -> dict[str, Any]:
        """Searches a second and the latency under load."""
        return {
            "seconds": self.seconds,
            "searches": self.ok,
            "errors": self.errors,
            "rate": self.ok / self.seconds if self.seconds else 0.0,
            **{f"p{p}_ms": percentile(self.latencies, p) * 1000 for p in (50, 99)},
        }


async def throughput(
    origin: Origin,
    steps: Mapping[str, list[Step]],
    clients: int,
    duration_s: float,
    rounds: int,
    progress: Progress,
) -> dict[str, Throughput]:
    """`clients` closed-loop clients per variant, `duration_s` seconds each in `rounds` rounds."""
    totals = {name: Throughput() for name in VARIANTS}
    for r in range(rounds):
        order = VARIANTS if r % 2 == 0 else VARIANTS[::-1]
        for name in order:
            chosen = steps[name]
            start = r * len(chosen) // rounds

            def next_step(n: int, chosen: list[Step] = chosen, start: int = start) -> Step:
                return chosen[(start + n) % len(chosen)]

            result = await run_load(
                f"{name} ({r + 1}/{rounds})",
                origin,
                next_step,
                clients,
                duration_s / rounds,
                min(2.0, duration_s / rounds / 4),
                progress,
            )
            totals[name].add(result)
    return totals
