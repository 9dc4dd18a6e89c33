"""MongoDB side of the command handlers: read current state, execute planned mutations."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from pymongo import DeleteOne, InsertOne, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from catalog.products.storage import CHANGES, PRODUCTS, Document
from write_api.mutations import Mutation

WriteOp = InsertOne[Document] | UpdateOne | DeleteOne


class ProductStore:
    """Reads and writes the `products` collection and its change log."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.products = db[PRODUCTS]
        self.changes = db[CHANGES]

    async def get(self, product_id: str) -> Document | None:
        """The stored document (live or tombstone), or None."""
        return await self.products.find_one({"_id": product_id})

    async def get_many(self, ids: Sequence[str]) -> dict[str, Document]:
        """Stored documents by id, for the ids that exist."""
        cursor = self.products.find({"_id": {"$in": list(ids)}})
        return {doc["_id"]: doc async for doc in cursor}

    async def apply(self, mutation: Mutation) -> bool:
        """Execute one plan; False when the product changed meanwhile (nothing written)."""
        if mutation.write is None:
            return True
        if mutation.expected_version is None:
            try:
                await self.products.insert_one(mutation.write)
            except DuplicateKeyError:
                return False
            return True
        result = await self.products.update_one(
            {"_id": mutation.product_id, "version": mutation.expected_version}, mutation.write
        )
        return result.matched_count == 1

    async def apply_many(self, mutations: Sequence[Mutation]) -> set[str]:
        """Execute plans in one unordered bulk write; the ids whose plan took effect."""
        writes = [m for m in mutations if m.write is not None]
        if not writes:
            return set()
        ops: list[WriteOp] = [
            InsertOne(m.write)
            if m.expected_version is None
            else UpdateOne({"_id": m.product_id, "version": m.expected_version}, m.write)
            for m in writes
            if m.write is not None
        ]
        with contextlib.suppress(BulkWriteError):  # conflicts are found below, op by op
            await self.products.bulk_write(ops, ordered=False)
        # a plan took effect exactly when its own change entry is in the outbox
        docs = self.products.find({"_id": {"$in": [m.product_id for m in writes]}}, {"_outbox": 1})
        outboxes = {doc["_id"]: doc.get("_outbox", []) async for doc in docs}
        return {m.product_id for m in writes if m.change in outboxes.get(m.product_id, [])}

    async def flush_outbox(self, entries: Sequence[Document]) -> None:
        """Copy change entries to the change log, then drop them from their outboxes."""
        if not entries:
            return
        try:
            await self.changes.insert_many([dict(e) for e in entries], ordered=False)
        except BulkWriteError as exc:
            # an entry already copied by an earlier flush is fine; anything else is not
            if any(err.get("code") != 11000 for err in exc.details.get("writeErrors", [])):
                raise
        await self.products.bulk_write(
            [UpdateOne({"_id": e["product_id"]}, {"$pull": {"_outbox": e}}) for e in entries],
            ordered=False,
        )

    async def history(
        self, product_id: str, before_version: int | None, limit: int
    ) -> list[dict[str, Any]]:
        """Change entries of a product, newest first, including ones still in its outbox."""
        query: dict[str, Any] = {"product_id": product_id}
        if before_version is not None:
            query["version"] = {"$lt": before_version}
        logged = self.changes.find(query, {"_id": 0}).sort("version", -1).limit(limit)
        entries = {e["version"]: e async for e in logged}
        current = await self.products.find_one({"_id": product_id}, {"_outbox": 1})
        for pending in (current or {}).get("_outbox", []):
            if before_version is None or pending["version"] < before_version:
                entries.setdefault(pending["version"], pending)
        return [entries[v] for v in sorted(entries, reverse=True)[:limit]]
