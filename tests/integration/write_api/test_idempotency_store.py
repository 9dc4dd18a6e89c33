"""Idempotency records in the real MongoDB server: claim, replay, reuse, lease, expiry."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.products.storage import IDEMPOTENCY, ensure_ttl_index
from write_api.idempotency import (
    PENDING_LEASE,
    IdempotencyInProgress,
    IdempotencyKeyReused,
    IdempotencyStore,
    StoredResponse,
)


@pytest.fixture
def scope() -> str:
    return f"it-{uuid.uuid4().hex}"


async def test_a_completed_request_is_replayed_and_a_different_one_refused(
    clients: Clients, scope: str
) -> None:
    store = IdempotencyStore(clients.db, ttl_s=3600)
    assert await store.begin(scope, "fp-1") is None
    with pytest.raises(IdempotencyInProgress):
        await store.begin(scope, "fp-1")
    answer = StoredResponse(201, b'{"version":1}', {"etag": '"1"'})
    await store.complete(scope, answer)
    assert await store.begin(scope, "fp-1") == answer
    with pytest.raises(IdempotencyKeyReused):
        await store.begin(scope, "fp-2")


async def test_an_abandoned_claim_can_be_taken_again(clients: Clients, scope: str) -> None:
    store = IdempotencyStore(clients.db, ttl_s=3600)
    assert await store.begin(scope, "fp") is None
    await store.abandon(scope)
    assert await store.begin(scope, "fp") is None


async def test_a_claim_past_its_lease_is_taken_over(clients: Clients, scope: str) -> None:
    store = IdempotencyStore(clients.db, ttl_s=3600)
    assert await store.begin(scope, "fp") is None
    stale = now_ms() - PENDING_LEASE - timedelta(seconds=1)
    await clients.db[IDEMPOTENCY].update_one({"_id": scope}, {"$set": {"started_at": stale}})
    assert await store.begin(scope, "fp") is None


async def test_expired_records_are_ignored_and_purged(clients: Clients, scope: str) -> None:
    store = IdempotencyStore(clients.db, ttl_s=3600)
    assert await store.begin(scope, "fp-old") is None
    await store.complete(scope, StoredResponse(200, b"{}", {}))
    past = now_ms() - timedelta(seconds=1)
    await clients.db[IDEMPOTENCY].update_one({"_id": scope}, {"$set": {"expires_at": past}})
    # an expired key is free again, even for another request
    assert await store.begin(scope, "fp-new") is None
    await clients.db[IDEMPOTENCY].update_one({"_id": scope}, {"$set": {"expires_at": past}})
    assert await store.purge_expired() >= 1
    assert await clients.db[IDEMPOTENCY].find_one({"_id": scope}) is None


async def test_ttl_indexes_are_used_where_the_server_has_them(clients: Clients) -> None:
    collection = f"it_ttl_{uuid.uuid4().hex[:8]}"
    has_ttl = await ensure_ttl_index(clients.db, collection, "expires_at", 60)
    info = await clients.db[collection].index_information()
    await clients.db.drop_collection(collection)
    names = set(info)
    # MongoDB: a TTL index; FerretDB 1.24 has none, so a plain index backs the purge
    assert ("expires_at_ttl" in names) is has_ttl
    assert ("expires_at_expiry" in names) is not has_ttl
