"""Dead letters: products Elasticsearch keeps rejecting, set aside with their error.

A rejection (a document Elasticsearch refuses, as opposed to an outage) is
counted per product and version. Below the limit the product stays unsynced
and its task is retried; at the limit it becomes a dead letter: the sweeper
and sync status leave that version out (indexer.versions), so it is not
resent forever, and it waits, visible in sync status, for `catalog sync
retry`. A new version of the product starts counting afresh, and a
successful sync removes its record. Nothing here ever holds up another
product.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import UpdateOne

from catalog import pending
from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.mongo_server import bulk_write_chunked, chunked, find_by_ids
from catalog.products.storage import Document

SYNC_FAILURES = "sync_failures"
MAX_ERROR_CHARS = 1000


@dataclass(frozen=True)
class DeadLetter:
    """A product set aside after repeated rejections."""

    id: str
    version: int
    attempts: int
    error: str
    first_failed_at: datetime
    dead_at: datetime


async def record_rejections(
    clients: Clients, rejected: Mapping[str, tuple[int, str]], max_attempts: int
) -> list[str]:
    """Count one more rejection for each `id -> (version, error)`; return the ids now dead."""
    if not rejected:
        return []
    failures = clients.db[SYNC_FAILURES]
    known = {
        doc["_id"]: doc for doc in await find_by_ids(failures, list(rejected), point_reads=False)
    }
    now = now_ms()
    dead: list[str] = []
    ops: list[UpdateOne] = []
    for product_id, (version, error) in rejected.items():
        before = known.get(product_id)
        same_version = before is not None and before.get("version") == version
        attempts = before["attempts"] + 1 if same_version and before else 1
        fields: dict[str, Any] = {
            "version": version,
            "attempts": attempts,
            "error": error[:MAX_ERROR_CHARS],
            "last_failed_at": now,
            "first_failed_at": before["first_failed_at"] if same_version and before else now,
        }
        if attempts >= max_attempts:
            fields["dead_at"] = now
            dead.append(product_id)
        ops.append(UpdateOne({"_id": product_id}, {"$set": fields}, upsert=True))
    await bulk_write_chunked(failures, ops)
    return dead


async def forget(clients: Clients, product_ids: Sequence[str]) -> None:
    """Drop the failure records of products that have now been synced."""
    failures = clients.db[SYNC_FAILURES]
    for chunk in chunked(product_ids, 500):
        await failures.delete_many({"_id": {"$in": list(chunk)}})


async def dead_letters(clients: Clients, limit: int = 100) -> list[DeadLetter]:
    """The oldest dead letters first, at most `limit`."""
    cursor = clients.db[SYNC_FAILURES].find({"dead_at": {"$exists": True}}).sort("dead_at", 1)
    return [_letter(doc) async for doc in cursor.limit(limit)]


async def dead_versions(clients: Clients) -> dict[str, int]:
    """The version each dead letter died at: the sweeper does not resend those."""
    cursor = clients.db[SYNC_FAILURES].find({"dead_at": {"$exists": True}}, {"version": 1})
    return {doc["_id"]: int(doc["version"]) async for doc in cursor}


async def count_dead_letters(clients: Clients) -> int:
    """How many products are set aside."""
    answer = await clients.db.command("count", SYNC_FAILURES, query={"dead_at": {"$exists": True}})
    return int(answer["n"])


async def revive(clients: Clients, product_ids: Sequence[str] | None = None) -> list[str]:
    """Give dead letters (all, or these) a fresh start; returns the ids to sync again.

    Each id is recorded as pending again, so a retry that is itself lost is
    still swept up later.
    """
    query: dict[str, Any] = {"dead_at": {"$exists": True}}
    if product_ids is not None:
        query["_id"] = {"$in": list(product_ids)}
    failures = clients.db[SYNC_FAILURES]
    ids = [doc["_id"] async for doc in failures.find(query, {"_id": 1})]
    if not ids:
        return []
    await bulk_write_chunked(
        failures,
        [UpdateOne({"_id": i}, {"$unset": {"dead_at": ""}, "$set": {"attempts": 0}}) for i in ids],
    )
    await pending.record_now(clients.redis, ids)  # so the sweeper finds them if this retry is lost
    return ids


def _letter(doc: Document) -> DeadLetter:
    return DeadLetter(
        id=doc["_id"],
        version=int(doc["version"]),
        attempts=int(doc["attempts"]),
        error=str(doc["error"]),
        first_failed_at=doc["first_failed_at"],
        dead_at=doc["dead_at"],
    )
