"""The running system as the sync benchmark drives it: write API, read model, source of truth.

Every product a run writes carries the run's id prefix, so the run can count
its own documents in the live index and remove exactly what it created.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
import orjson
from elasticsearch import AsyncElasticsearch, NotFoundError, TransportError
from pymongo import AsyncMongoClient, DeleteOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from catalog.apikeys import create_key, revoke_key
from catalog.mongo_server import bulk_write_chunked, find_by_ids
from catalog.products.mutations import change_id
from catalog.products.storage import CHANGES, PRODUCTS, Document
from indexer.index_definition import alias_name

SEND_LINES = 1000  # NDJSON lines per chunk of a streamed bulk body
POLL_S = 0.1
STATUS_ATTEMPTS = 5
DELETE_ROUNDS = 3
DELETE_RECHECK_S = 2.0
WRITTEN = ("created", "updated", "unchanged", "deleted")
VER = {"version": 1}


class SyncTimeout(Exception):
    """The read model did not reach the expected state in time."""


@dataclass
class BulkOutcome:
    """What one bulk request did: its summary and the version each product now has."""

    summary: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class Target:
    """Clients of the running system, bound to the live alias."""

    write: httpx.AsyncClient  # base URL of the write API, editor key in its headers
    es: AsyncElasticsearch
    db: AsyncDatabase[Document]
    alias: str
    connections: int = 8  # the write client's connection limit
    editor_key: str = ""  # the key in the write client's headers

    async def bulk(
        self, lines: Sequence[bytes], on_line: Callable[[], None] | None = None
    ) -> BulkOutcome:
        """Send NDJSON bulk lines in one streamed request; collect every line's result."""

        async def body() -> Any:
            for start in range(0, len(lines), SEND_LINES):
                yield b"".join(lines[start : start + SEND_LINES])

        outcome = BulkOutcome()
        headers = {"Content-Type": "application/x-ndjson"}
        async with self.write.stream(
            "POST", "/v1/products:bulk", content=body(), headers=headers
        ) as response:
            response.raise_for_status()
            async for text in response.aiter_lines():
                if not text.strip():
                    continue
                result = orjson.loads(text)
                if "summary" in result:
                    outcome.summary = result["summary"]
                    continue
                if result.get("status") in WRITTEN and result.get("version"):
                    outcome.versions[result["id"]] = int(result["version"])
                elif len(outcome.errors) < 5:
                    outcome.errors.append(text)
                if on_line:
                    on_line()
        return outcome

    async def searchable(self, prefix: str) -> int:
        """How many documents with this id prefix a search finds in the live index now."""
        try:
            answer = await self.es.count(
                index=self.alias, body={"query": {"prefix": {"id": prefix}}}
            )
        except NotFoundError:  # the indexer creates the read model with its first write
            return 0
        except TransportError as exc:
            if exc.status_code == 503:  # that index is just being created: no shard ready yet
                return 0
            raise
        return int(answer["count"])

    async def dirty(self) -> int:
        """The sync status's count of changes not yet in the read model."""
        for _ in range(STATUS_ATTEMPTS):
            response = await self.write.get("/v1/sync/status", params={"counts": "false"})
            if response.status_code != 503:  # its MongoDB queries timed out: ask again
                break
            await asyncio.sleep(float(response.headers.get("Retry-After", 3)))
        response.raise_for_status()
        return int(response.json()["dirty"])

    async def wait_searchable(
        self, prefix: str, expected: int, timeout_s: float, on_count: Callable[[int], None]
    ) -> float:
        """Poll until exactly `expected` documents of the prefix are searchable; the time then."""
        deadline = time.perf_counter() + timeout_s
        while True:
            count = await self.searchable(prefix)
            seen = time.perf_counter()
            on_count(count)
            if count == expected:
                return seen
            if seen > deadline:
                raise SyncTimeout(f"{count:,} of {expected:,} {prefix}* searchable")
            await asyncio.sleep(POLL_S)

    async def remove(
        self, prefix: str, ids: Sequence[str], dirty_before: int, timeout_s: float
    ) -> str:
        """Delete a run's products, their change log and their documents, directly.

        Not through the write API: that would sync every product a second time,
        and on FerretDB 1.24 the indexer's update commands running beside the
        bulk delete's can exhaust the server's connection pool for good. First
        the unsynced count must be back to `dirty_before` (its value before the
        run): then every change of the run is in the read model and the change
        log, and no index task of the run is left to write after the deletes.
        """
        await self._settled(dirty_before, timeout_s)
        found = await find_by_ids(self.db[PRODUCTS], ids, point_reads=True, projection=VER)
        versions = {doc["_id"]: int(doc["version"]) for doc in found}
        changes = [change_id(i, v) for i, last in versions.items() for v in range(1, last + 1)]
        await asyncio.gather(
            _delete_ids(self.db[PRODUCTS], list(versions)),
            _delete_ids(self.db[CHANGES], changes),
        )
        for _ in range(DELETE_ROUNDS):  # again if a task already under way wrote after it
            await self.es.delete_by_query(
                index=self.alias,
                body={"query": {"prefix": {"id": prefix}}},
                conflicts="proceed",
                refresh=True,
                request_timeout=timeout_s,
            )
            await asyncio.sleep(DELETE_RECHECK_S)
            if not (left := await self.searchable(prefix)):
                break
        else:
            raise SyncTimeout(f"{left:,} documents of {prefix}* still searchable")
        dirty_after = await self.dirty()
        return (
            f"removed {len(versions):,} products and {len(changes):,} change entries; "
            f"none of {prefix}* searchable; unsynced changes {dirty_before:,} → {dirty_after:,}"
        )

    async def run_ids(self, prefix: str) -> list[str]:
        """Every stored product id with this prefix, tombstones included (a full scan)."""
        query = {"_id": {"$regex": f"^{re.escape(prefix)}"}}
        return [doc["_id"] async for doc in self.db[PRODUCTS].find(query, {"_id": 1})]

    async def _settled(self, dirty_before: int, timeout_s: float) -> int:
        deadline = time.perf_counter() + timeout_s
        while (dirty := await self.dirty()) > dirty_before:
            if time.perf_counter() > deadline:
                raise SyncTimeout(f"{dirty:,} unsynced changes, {dirty_before:,} before")
            await asyncio.sleep(POLL_S * 5)
        return dirty


async def _delete_ids(collection: AsyncCollection[Document], ids: list[str]) -> None:
    # exact ids in small commands (FerretDB refuses one huge delete), a few at once
    parts = list(_slices(ids, 4))
    await asyncio.gather(
        *(bulk_write_chunked(collection, [DeleteOne({"_id": k}) for k in part]) for part in parts)
    )


def _slices(items: list[str], n: int) -> Iterator[list[str]]:
    size = max(1, -(-len(items) // n))
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Endpoints(Protocol):
    """Where a benchmark finds the running system."""

    @property
    def write_url(self) -> str: ...
    @property
    def es_urls(self) -> tuple[str, ...]: ...
    @property
    def mongo_url(self) -> str: ...
    @property
    def mongo_db(self) -> str: ...
    @property
    def index_prefix(self) -> str: ...
    @property
    def key(self) -> str | None: ...


@contextlib.asynccontextmanager
async def open_target(where: Endpoints, connections: int, purpose: str) -> AsyncIterator[Target]:
    """The system's clients; a new editor key (revoked afterwards) unless one was given."""
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        where.mongo_url, tz_aware=True, socketTimeoutMS=120_000, serverSelectionTimeoutMS=10_000
    )
    db = mongo[where.mongo_db]
    key = where.key or await create_key(db, "editor", purpose)
    write = httpx.AsyncClient(
        base_url=where.write_url,
        headers={"Authorization": f"Bearer {key}"},
        timeout=httpx.Timeout(600, connect=10),
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )
    es = AsyncElasticsearch(list(where.es_urls), timeout=120, max_retries=0)
    try:
        yield Target(write, es, db, alias_name(where.index_prefix), connections, key)
    finally:
        if where.key is None:
            await revoke_key(db, key.split("_")[1])
        await write.aclose()
        await es.close()
        await mongo.close()
