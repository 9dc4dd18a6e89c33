"""Closed-loop HTTP load: N connections, each sending its next request as soon as it has an answer.

The first `warmup_s` seconds are sent but not counted (connections open, caches
and JIT warm); then every request started within `duration_s` counts, with
its latency from the first byte written to the last byte read. Request n
(counted over all connections, warm-up included) is `next_request(n)`, so two
runs given the same function send the same requests in the same order. It
may also be a sequence of requests sent one after the other on the
connection (a step, such as the requests of one keystroke): then the latency
is the whole step's, its status the worst of its answers.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.progress import Progress

from bench.read_http import Connection, Origin, ProtocolError, Reply
from bench.sync_lag import percentile

REQUEST_TIMEOUT_S = 30.0
ERROR_PAUSE_S = 0.05  # after a failed connection, so a dead server does not spin the loop


@dataclass
class LoadResult:
    """What one load phase measured."""

    name: str
    connections: int
    seconds: float = 0.0  # measured window: its start until the last counted answer
    latencies: list[float] = field(default_factory=list)  # successful answers (status < 400)
    statuses: Counter[int] = field(default_factory=Counter)
    cache: Counter[str] = field(default_factory=Counter)  # X-Cache of successful answers
    failures: Counter[str] = field(default_factory=Counter)  # no answer: exception class
    bytes_read: int = 0
    max_stale_age_s: int = 0  # the largest `Age` of an `X-Cache: stale` answer
    requests_sent: int = 0  # requests in the counted, answered steps (see run_load's `weight`)
    # of a mix: the share of requests whose target was sent before in the run, the most
    # that hits plus stale answers can be (a first request of a target is a miss)
    repeat_share: float | None = None

    @property
    def requests(self) -> int:
        """Requests counted, answered or not."""
        return sum(self.statuses.values()) + sum(self.failures.values())

    @property
    def errors(self) -> int:
        """Answers of 400 and above, and requests without an answer."""
        return self.requests - len(self.latencies)

    @property
    def rate(self) -> float:
        """Successful answers per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def ms(self, p: float) -> float | None:
        """A latency percentile in milliseconds (None without answers)."""
        if not self.latencies:
            return None
        return round(percentile(self.latencies, p) * 1000, 2)

    def summary(self) -> dict[str, Any]:
        """The numbers, for JSON and the plot."""
        return {
            "name": self.name,
            "connections": self.connections,
            "seconds": round(self.seconds, 3),
            "requests": self.requests,
            "ok": len(self.latencies),
            "errors": self.errors,
            "rate": round(self.rate, 1),
            "p50_ms": self.ms(50),
            "p90_ms": self.ms(90),
            "p99_ms": self.ms(99),
            "max_ms": self.ms(100),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "cache": dict(self.cache),
            "max_stale_age_s": self.max_stale_age_s,
            "failures": dict(self.failures),
            "mean_body_bytes": round(self.bytes_read / len(self.latencies))
            if self.latencies
            else 0,
            "request_rate": round(self.requests_sent / self.seconds, 1) if self.seconds else 0.0,
            "repeat_share": self.repeat_share,
        }


async def run_load(
    name: str,
    origin: Origin,
    next_request: Callable[[int], bytes | Sequence[bytes]],
    connections: int,
    duration_s: float,
    warmup_s: float,
    progress: Progress,
    weight: Callable[[int], int] | None = None,
) -> LoadResult:
    """Drive `connections` connections for `warmup_s + duration_s` seconds.

    `weight(n)` is how many requests step n counts as (default: its HTTP
    requests; a multi-query holds several).
    """
    result = LoadResult(name, connections)
    counter = 0
    clock = time.perf_counter  # uvloop's loop.time() counts whole milliseconds
    measure_from = clock() + warmup_s
    stop_at = measure_from + duration_s
    last_answer = measure_from
    task = progress.add_task(name, total=round((warmup_s + duration_s) * 10))

    async def worker() -> None:
        nonlocal counter, last_answer
        connection = Connection(origin)
        try:
            while (started := clock()) < stop_at:
                n, counter = counter, counter + 1
                counted = started >= measure_from
                wire = next_request(n)
                replies: list[Reply] = []
                try:
                    async with asyncio.timeout(REQUEST_TIMEOUT_S):
                        for raw in [wire] if isinstance(wire, bytes) else wire:
                            replies.append(await connection.send(raw))
                except (OSError, TimeoutError, ProtocolError, asyncio.IncompleteReadError) as exc:
                    if counted:
                        result.failures[type(exc).__name__] += 1
                    await asyncio.sleep(ERROR_PAUSE_S)
                    continue
                ended = clock()
                if not counted:
                    continue
                last_answer = max(last_answer, ended)
                result.requests_sent += len(replies) if weight is None else weight(n)
                status = max(reply.status for reply in replies)
                result.statuses[status] += 1
                if status < 400:
                    result.latencies.append(ended - started)
                    for reply in replies:
                        result.bytes_read += len(reply.body)
                        if reply.x_cache:
                            result.cache[reply.x_cache] += 1
                        if reply.x_cache == "stale":
                            age = int(reply.headers.get("age", "0") or 0)
                            result.max_stale_age_s = max(result.max_stale_age_s, age)
        finally:
            await connection.close()

    async def tick() -> None:
        began = time.perf_counter()
        while True:
            progress.update(task, completed=round((time.perf_counter() - began) * 10))
            await asyncio.sleep(0.2)

    ticker = asyncio.create_task(tick())
    try:
        await asyncio.gather(*(worker() for _ in range(connections)))
    finally:
        ticker.cancel()
    progress.update(task, completed=round((warmup_s + duration_s) * 10))
    result.seconds = last_answer - measure_from
    return result
