"""MongoDB's version of a product against the index's: what "synced" means, in one place.

A product is synced when Elasticsearch holds the version MongoDB stores (a
tombstone: when the index no longer holds an older live version). Nothing
in MongoDB records that a sync happened: clearing a per-product mark after
every sync was an update per product, the costliest step of the whole path
on FerretDB. The index's versions are read by id instead (`mget`, in real
time, so a write not yet refreshed counts), for the few ids the pending set
names (catalog.pending) or, when that set cannot be trusted, for every
product in pages.

The audit (indexer.audit) classifies differences with `compare`; the
sweeper and sync status ask `unsynced_among` and `scan_unsynced`, which
leave out dead letters at the version that died (indexer.dead_letters).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from catalog.clients import Clients
from catalog.mongo_server import chunked, find_by_ids, paced_batches
from catalog.products.storage import PRODUCTS, Document
from indexer.dead_letters import dead_versions
from indexer.index_definition import alias_name

Difference = Literal["missing", "stale", "ahead", "extra"]
# what sending the product's stored state again puts right
RESENDABLE: frozenset[Difference] = frozenset({"missing", "stale"})
PAGE = 1000
# what the sync checks read of a stored product: its version, whether it is a
# tombstone, and when it last changed (the age of an unsynced change)
PROJECTION = {"version": 1, "deleted_at": 1, "updated_at": 1}


def compare(stored: Document | None, indexed_version: int | None) -> Difference | None:
    """How the index differs from MongoDB for one id; None when they agree."""
    live = stored is not None and stored.get("deleted_at") is None
    if not live:
        return "extra" if indexed_version is not None else None
    assert stored is not None
    version = int(stored["version"])
    if indexed_version is None:
        return "missing"
    if indexed_version < version:
        return "stale"
    return "ahead" if indexed_version > version else None


def lags(stored: Document, indexed_version: int | None) -> bool:
    """Whether a stored product (or tombstone) is newer than what the index holds of it."""
    difference = compare(stored, indexed_version)
    if difference == "extra":  # a tombstone whose older live state is still indexed
        return indexed_version is not None and indexed_version < int(stored["version"])
    return difference in RESENDABLE


async def indexed_versions(
    clients: Clients, ids: Sequence[str], index: str | None = None
) -> dict[str, int]:
    """The version the index holds of each of these ids (absent: not indexed)."""
    index = index or alias_name(clients.settings.es_index_prefix)
    versions: dict[str, int] = {}
    for chunk in chunked(ids, PAGE):
        answer = await clients.es.mget(
            index=index, body={"ids": list(chunk)}, _source=False, ignore=[404]
        )
        # no index yet (404, or an error per document): nothing of these is indexed
        for doc in answer.get("docs", []):
            if doc.get("found"):
                versions[doc["_id"]] = int(doc["_version"])
    return versions


def changed_at(stored: Document) -> datetime | None:
    """When a stored product last changed: its unsynced change's age counts from here."""
    value = stored.get("updated_at") or stored.get("deleted_at")
    return value if isinstance(value, datetime) else None


async def _lagging(
    clients: Clients, stored: Sequence[Document], dead: dict[str, int]
) -> list[Document]:
    if not stored:
        return []
    indexed = await indexed_versions(clients, [doc["_id"] for doc in stored])
    return [
        doc
        for doc in stored
        if lags(doc, indexed.get(doc["_id"])) and dead.get(doc["_id"]) != doc["version"]
    ]


async def unsynced_among(
    clients: Clients, product_ids: Sequence[str], *, point_reads: bool
) -> list[Document]:
    """Those of these products whose stored version the index does not hold yet."""
    if not product_ids:
        return []
    stored = await find_by_ids(
        clients.db[PRODUCTS], product_ids, point_reads=point_reads, projection=PROJECTION
    )
    return await _lagging(clients, stored, await dead_versions(clients))


async def scan_unsynced(
    clients: Clients, *, limit: int, rest_factor: float = 0.0
) -> tuple[list[Document], int]:
    """Every product checked against the index, page by page: the `limit` unsynced
    ones changed longest ago, and how many there are. With a `rest_factor` the
    reads are paced (catalog.mongo_server.paced_batches), for a scan that must not
    crowd out writes.

    Unfiltered and unsorted, so FerretDB streams it page by page too.
    """
    dead = await dead_versions(clients)
    cursor: Any = clients.db[PRODUCTS].find({}, PROJECTION, batch_size=PAGE)
    unsynced: list[Document] = []
    count = 0
    async for page in paced_batches(cursor, PAGE, rest_factor):
        found = await _lagging(clients, page, dead)
        count += len(found)
        unsynced = heapq.nsmallest(limit, [*unsynced, *found], key=_changed_key)
    return unsynced, count


def _changed_key(stored: Document) -> datetime:
    return changed_at(stored) or datetime.max.replace(tzinfo=UTC)
