"""What the MongoDB-protocol server behind the URL can do well (MongoDB or FerretDB).

FerretDB 1.24 serves from an index only filters on an exact `_id`, and hangs
on one update command of 100 or more statements; the helpers here are the
one place that works around both.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any, TypeVar

from pymongo import AsyncMongoClient, DeleteOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.cursor import AsyncCursor

from catalog.products.storage import Document

WRITE_CHUNK = 50  # statements per bulk command; FerretDB hangs at 100
POINT_READ_CONCURRENCY = 16
T = TypeVar("T")


async def is_ferretdb(client: AsyncMongoClient[Document]) -> bool:
    """True when the server is FerretDB, which scans for any filter but `{_id: x}`."""
    info = await client.admin.command("buildInfo")
    return "ferretdbVersion" in info


async def find_by_ids(
    collection: AsyncCollection[Document],
    ids: Sequence[Any],
    *,
    point_reads: bool,
    projection: dict[str, Any] | None = None,
) -> list[Document]:
    """The documents with these ids: one `$in` query, or exact-id reads where `$in` scans."""
    if not point_reads:
        return [doc async for doc in collection.find({"_id": {"$in": list(ids)}}, projection)]
    limit = asyncio.Semaphore(POINT_READ_CONCURRENCY)

    async def one(doc_id: Any) -> Document | None:
        async with limit:
            return await collection.find_one({"_id": doc_id}, projection)

    return [doc for doc in await asyncio.gather(*(one(i) for i in ids)) if doc is not None]


def chunked(items: Sequence[T], size: int = WRITE_CHUNK) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def bulk_write_chunked(
    collection: AsyncCollection[Document], ops: Sequence[UpdateOne | DeleteOne]
) -> None:
    """Unordered bulk writes, in commands small enough for every server."""
    for chunk in chunked(ops):
        await collection.bulk_write(list(chunk), ordered=False)


async def paced_batches(
    cursor: AsyncCursor[Document], size: int, rest_factor: float
) -> AsyncIterator[list[Document]]:
    """The cursor's documents in lists of `size`, resting `rest_factor` times each one's read.

    A long scan then takes at most 1 / (1 + rest_factor) of the server's time
    and leaves the rest to the requests that must stay fast.
    """
    batch: list[Document] = []
    started = time.monotonic()
    async for doc in cursor:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            await asyncio.sleep((time.monotonic() - started) * rest_factor)
            batch, started = [], time.monotonic()
    if batch:
        yield batch
