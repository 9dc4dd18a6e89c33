"""Dependency readiness checks shared by both APIs, the CLI and the tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from catalog.clients import Clients

HEALTHY_ES_STATUSES = frozenset({"green", "yellow"})


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of probing one dependency."""

    name: str
    ok: bool
    latency_ms: float
    detail: str


async def _mongo(clients: Clients) -> str:
    await clients.mongo.admin.command("ping")
    return "ping ok"


async def _elasticsearch(clients: Clients) -> str:
    health = await clients.es.cluster.health()
    status = str(health.get("status"))
    if status not in HEALTHY_ES_STATUSES:
        raise RuntimeError(f"cluster health is {status}")
    return f"cluster {health.get('cluster_name')} is {status}"


async def _redis(clients: Clients) -> str:
    if not await clients.redis.ping():
        raise RuntimeError("PING not answered")
    return "PONG"


CHECKS: dict[str, Callable[[Clients], Awaitable[str]]] = {
    "mongodb": _mongo,
    "elasticsearch": _elasticsearch,
    "redis": _redis,
}


async def _run(
    name: str, probe: Callable[[Clients], Awaitable[str]], clients: Clients, timeout_s: float
) -> CheckResult:
    started = time.perf_counter()
    try:
        detail = await asyncio.wait_for(probe(clients), timeout=timeout_s)
        ok = True
    except TimeoutError:
        detail, ok = f"no answer within {timeout_s:g}s", False
    except Exception as exc:  # any failure of a dependency means "not ready"
        detail, ok = f"{type(exc).__name__}: {exc}"[:300], False
    return CheckResult(name, ok, round((time.perf_counter() - started) * 1000, 1), detail)


async def check_dependencies(clients: Clients, timeout_s: float | None = None) -> list[CheckResult]:
    """Probe every dependency concurrently, each within its own time budget."""
    budget = timeout_s if timeout_s is not None else clients.settings.readiness_timeout_s
    return list(await asyncio.gather(*(_run(n, p, clients, budget) for n, p in CHECKS.items())))
