"""Single writes planned from the state this process wrote last, on the real MongoDB server.

A hint saves the read; it must never decide anything a read would decide
otherwise. Each test makes the hint stale by writing the product through a
second command handler (another process, as far as the first one knows) and
checks the outcome is the one a fresh read gives.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient, monitoring

from catalog.clients import Clients
from catalog.products.commands import NotFound, PreconditionFailed, ProductCommands
from catalog.products.model import ProductReplace
from catalog.products.recent import MAX_HINT_BYTES, RecentStates
from catalog.products.storage import CHANGES
from catalog.products.store import ProductStore
from catalog.queue import TaskPublisher
from catalog.settings import Settings
from tests.isolation import isolated_clients


class FindCounter(monitoring.CommandListener):
    """Counts `find` commands on products (the reads a hint saves)."""

    def __init__(self) -> None:
        self.finds = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "find" and event.command.get("find") == "products":
            self.finds += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@pytest.fixture
async def clients(settings: Settings) -> AsyncIterator[Clients]:
    """A catalog of this test's own (its products are never indexed)."""
    async with isolated_clients(settings, "it_hints") as own:
        yield own


def _handlers(clients: Clients) -> tuple[ProductCommands, ProductCommands]:
    """This process's handler (with hints) and another process's (without)."""
    publisher = TaskPublisher(clients.settings)  # not started: its batches stay here
    hinted = ProductStore(clients.db, point_reads=True, recent=RecentStates(16))
    other = ProductStore(clients.db, point_reads=True)
    return ProductCommands(hinted, publisher), ProductCommands(other, publisher)


def _product(price: float, stock: int = 3) -> ProductReplace:
    return ProductReplace.model_validate({"title": "USB-C Kabel", "price": price, "stock": stock})


async def _written_here(clients: Clients) -> tuple[ProductCommands, ProductCommands, str]:
    """Both handlers, and a product this process created (price 10.0), so it holds a hint."""
    ours, theirs = _handlers(clients)
    product_id = f"IT-HINT-{uuid.uuid4().hex[:8]}"
    await ours.upsert(product_id, _product(10.0), actor="t", if_match=None)
    return ours, theirs, product_id


async def _stored(clients: Clients, product_id: str) -> dict[str, Any]:
    doc = await clients.db["products"].find_one({"_id": product_id})
    assert doc is not None
    return doc


async def test_a_write_after_this_process_wrote_the_product_reads_nothing(
    clients: Clients,
) -> None:
    ours, _, product_id = await _written_here(clients)
    counter = FindCounter()
    counted: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        str(clients.settings.mongo_url), tz_aware=True, event_listeners=[counter]
    )
    try:
        store = ProductStore(counted[clients.db.name], point_reads=True, recent=ours.store.recent)
        counted_commands = ProductCommands(store, TaskPublisher(clients.settings))
        result = await counted_commands.upsert(
            product_id, _product(11.0), actor="t", if_match='"1"'
        )
    finally:
        await counted.close()
    assert (result.outcome, result.version) == ("updated", 2)
    assert counter.finds == 0
    assert (await _stored(clients, product_id))["price"] == 11.0


async def test_a_stale_hint_costs_a_retry_and_loses_no_change(clients: Clients) -> None:
    ours, theirs, product_id = await _written_here(clients)
    await theirs.upsert(product_id, _product(12.0, stock=9), actor="other", if_match=None)

    result = await ours.patch(product_id, {"price": 13.0}, actor="t", if_match=None)

    assert (result.outcome, result.version) == ("updated", 3)
    stored = await _stored(clients, product_id)
    # the patch applied on the other process's state, not on the hint's
    assert (stored["price"], stored["stock"], stored["version"]) == (13.0, 9, 3)
    # every version has its change entry exactly once
    entries = [e["version"] for e in stored["_outbox"]]
    logged = [e["version"] async for e in clients.db[CHANGES].find({"product_id": product_id})]
    assert sorted(entries + logged) == [1, 2, 3]


async def test_if_match_is_checked_against_the_store_not_a_stale_hint(clients: Clients) -> None:
    ours, theirs, product_id = await _written_here(clients)
    await theirs.upsert(product_id, _product(12.0), actor="other", if_match=None)

    with pytest.raises(PreconditionFailed):  # the hint's version is no longer the product's
        await ours.upsert(product_id, _product(14.0), actor="t", if_match='"1"')
    # the version the client saw last, which the hint does not know yet
    result = await ours.upsert(product_id, _product(14.0), actor="t", if_match='"2"')
    assert (result.outcome, result.version) == ("updated", 3)


async def test_a_write_equal_to_a_stale_hint_is_not_taken_as_unchanged(clients: Clients) -> None:
    ours, theirs, product_id = await _written_here(clients)
    await theirs.upsert(product_id, _product(12.0), actor="other", if_match=None)

    result = await ours.upsert(product_id, _product(10.0), actor="t", if_match=None)

    assert (result.outcome, result.version) == ("updated", 3)
    assert (await _stored(clients, product_id))["price"] == 10.0


async def test_a_product_deleted_elsewhere_is_not_found_though_hinted_live(
    clients: Clients,
) -> None:
    ours, theirs, product_id = await _written_here(clients)
    await theirs.delete(product_id, actor="other", if_match=None)

    with pytest.raises(NotFound):
        await ours.patch(product_id, {"price": 11.0}, actor="t", if_match=None)


def test_recent_states_keep_the_newest_ids_within_their_capacity() -> None:
    recent = RecentStates(2)
    for product_id in ("A", "B", "C"):
        recent.remember(product_id, {"_id": product_id, "version": 1})
    assert recent.get("A") is None
    assert recent.get("B") == {"_id": "B", "version": 1}
    recent.remember("D", {"_id": "D", "version": 1})  # B was used last: C goes
    assert (recent.get("C"), len(recent)) == (None, 2)
    recent.forget(["B"])
    assert recent.get("B") is None
    assert RecentStates(0).get("A") is None
    # a state too large to hold replaces nothing stale: the id is read next time
    recent.remember("D", {"_id": "D", "version": 2, "description": "x" * MAX_HINT_BYTES})
    assert recent.get("D") is None
