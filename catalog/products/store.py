"""MongoDB side of the command handlers: read current state, execute planned mutations.

Written for both MongoDB and FerretDB 1.24 (the local stack). FerretDB
finds a document without a scan only for a filter of exactly `{_id: ...}`,
and one update command of 100 or more statements hangs it; hence updates
go out in small chunks and are checked by matched counts, not re-reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from catalog.mongo_server import chunked, find_by_ids
from catalog.products.changelog import duplicate_indexes, record_changes
from catalog.products.mutations import Mutation, change_id
from catalog.products.recent import RecentStates
from catalog.products.storage import CHANGES, PRODUCTS, Document


class ProductStore:
    """Reads and writes the `products` collection and its change log."""

    def __init__(
        self,
        db: AsyncDatabase[Document],
        point_reads: bool = False,
        recent: RecentStates | None = None,
    ) -> None:
        self.products = db[PRODUCTS]
        self.changes = db[CHANGES]
        # FerretDB answers `{_id: x}` from its index but scans for `$in`
        self.point_reads = point_reads
        # the states this process wrote last (catalog.products.recent); None: none kept
        self.recent = recent

    def hint(self, product_id: str) -> Document | None:
        """The state this process wrote last for the product, if remembered: a hint, which
        only a conditional write that takes effect may trust."""
        return self.recent.get(product_id) if self.recent is not None else None

    def drop_hint(self, product_id: str) -> None:
        """Forget the hint of a product (it turned out stale, or could not be trusted)."""
        if self.recent is not None:
            self.recent.forget([product_id])

    async def get(self, product_id: str) -> Document | None:
        """The stored document (live or tombstone), or None."""
        return await self.products.find_one({"_id": product_id})

    async def get_many(self, ids: Sequence[str]) -> dict[str, Document]:
        """Stored documents by id, for the ids that exist."""
        found = await find_by_ids(self.products, ids, point_reads=self.point_reads)
        return {doc["_id"]: doc for doc in found}

    async def apply(self, mutation: Mutation) -> bool:
        """Execute one plan; False when the product changed meanwhile (nothing written)."""
        return mutation.product_id in await self.apply_many([mutation])

    async def apply_many(self, mutations: Sequence[Mutation]) -> set[str]:
        """Execute plans (inserts, then updates in chunks); the ids whose plan took effect."""
        inserts = [m for m in mutations if m.write is not None and m.expected_version is None]
        updates = [m for m in mutations if m.write is not None and m.expected_version is not None]
        applied: set[str] = set()
        if inserts:
            try:
                await self.products.insert_many(
                    [m.write for m in inserts if m.write is not None], ordered=False
                )
                failed: set[int] = set()
            except BulkWriteError as exc:
                failed = duplicate_indexes(exc)
            applied |= {m.product_id for i, m in enumerate(inserts) if i not in failed}
        for chunk in chunked(updates):
            applied |= await self._update_chunk(chunk)
        if self.recent is not None:
            for m in (*inserts, *updates):
                if m.product_id in applied and m.after is not None:
                    self.recent.remember(m.product_id, m.after)
                else:
                    self.recent.forget([m.product_id])
        return applied

    async def _update_chunk(self, chunk: Sequence[Mutation]) -> set[str]:
        ops = [
            UpdateOne({"_id": m.product_id, "version": m.expected_version}, m.write)
            for m in chunk
            if m.write is not None
        ]
        result = await self.products.bulk_write(ops, ordered=False)
        if result.matched_count == len(ops):
            return {m.product_id for m in chunk}
        # some lost a race: a plan took effect exactly when its change entry is in the outbox
        applied = set()
        for m in chunk:
            doc = await self.products.find_one({"_id": m.product_id}, {"_outbox": 1})
            if doc is not None and m.change in doc.get("_outbox", []):
                applied.add(m.product_id)
        return applied

    async def record_changes(self, entries: Iterable[Document]) -> None:
        """Copy change entries to the change log; an entry copied before is skipped."""
        await record_changes(self.changes.database, entries)

    async def history(
        self, product_id: str, before_version: int | None, limit: int
    ) -> list[dict[str, Any]]:
        """Change entries of a product, newest first, including ones still in its outbox."""
        current = await self.products.find_one({"_id": product_id}, {"_outbox": 1, "version": 1})
        if current is None:
            return []
        top = (
            current["version"]
            if before_version is None
            else min(before_version - 1, current["version"])
        )
        versions = list(range(top, max(top - limit, 0), -1))
        # entries are read by their exact ids, newest first: no scan on any server
        ids = [change_id(product_id, v) for v in versions]
        logged = await find_by_ids(self.changes, ids, point_reads=self.point_reads)
        entries = {e["version"]: e for e in logged}
        for pending in current.get("_outbox", []):
            if pending["version"] in versions:
                entries.setdefault(pending["version"], pending)
        return [
            {k: v for k, v in entries[v].items() if k != "_id"}
            for v in sorted(entries, reverse=True)
        ]
