"""Copying change entries from product outboxes to the change log (write side and indexer)."""

from __future__ import annotations

from collections.abc import Iterable

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from catalog.products.storage import CHANGES, Document

DUPLICATE_KEY = 11000


def duplicate_indexes(exc: BulkWriteError) -> set[int]:
    """Indexes of the operations that hit a duplicate key; any other failure is raised."""
    errors = exc.details.get("writeErrors", [])
    if any(err.get("code") != DUPLICATE_KEY for err in errors):
        raise exc
    return {err["index"] for err in errors}


async def record_changes(db: AsyncDatabase[Document], entries: Iterable[Document]) -> None:
    """Copy change entries to the change log; an entry copied before is skipped."""
    batch = list(entries)
    if not batch:
        return
    try:
        await db[CHANGES].insert_many(batch, ordered=False)
    except BulkWriteError as exc:
        duplicate_indexes(exc)
