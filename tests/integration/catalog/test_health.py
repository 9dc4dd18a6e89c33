"""Readiness checks against real servers: all green, and an unreachable one named."""

from __future__ import annotations

from catalog.clients import Clients
from catalog.health import check_dependencies
from catalog.settings import Settings


async def test_every_dependency_of_the_test_stack_is_ready(clients: Clients) -> None:
    results = {r.name: r for r in await check_dependencies(clients)}
    assert set(results) == {"mongodb", "elasticsearch", "redis"}
    assert all(r.ok for r in results.values()), results
    assert "green" in results["elasticsearch"].detail or "yellow" in results["elasticsearch"].detail


async def test_an_unreachable_mongodb_is_reported_alone_and_in_time(settings: Settings) -> None:
    # port 9 (discard) has no listener on loopback: connection refused, a real network failure
    broken = settings.model_copy(update={"mongo_url": "mongodb://127.0.0.1:9"})
    clients = Clients.from_settings(broken)
    try:
        results = {r.name: r for r in await check_dependencies(clients, timeout_s=1.0)}
    finally:
        await clients.close()
    assert not results["mongodb"].ok
    assert results["elasticsearch"].ok
    assert results["redis"].ok
