"""Idempotency-Key: a retried POST/PUT/PATCH returns the first answer instead of writing twice.

A key is scoped to the API key that sent it and bound to a fingerprint of
the request (method, path, body); the same key with another request is a 422.
While the first request runs, the record is `pending` under a lease, so a
request that crashed does not block its key forever.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from catalog.clock import now_ms
from catalog.products.storage import IDEMPOTENCY, Document

PENDING_LEASE = timedelta(seconds=60)
MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(Exception):
    """The key was used before for a different request."""


class IdempotencyInProgress(Exception):
    """The first request with this key has not finished yet."""


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """The first answer given for a key."""

    status: int
    body: bytes
    headers: dict[str, str]


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests the same request."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class IdempotencyStore:
    """Records per (API key, Idempotency-Key) the request fingerprint and its answer."""

    def __init__(self, db: AsyncDatabase[Document], ttl_s: int) -> None:
        self.collection = db[IDEMPOTENCY]
        self.ttl = timedelta(seconds=ttl_s)

    async def begin(self, scope: str, request_fingerprint: str) -> StoredResponse | None:
        """Claim the key; return the stored answer when the request was already done."""
        for _ in range(3):
            now = now_ms()
            record = {
                "_id": scope,
                "fingerprint": request_fingerprint,
                "state": "pending",
                "started_at": now,
                "expires_at": now + self.ttl,
            }
            try:
                await self.collection.insert_one(record)
                return None
            except DuplicateKeyError:
                existing = await self.collection.find_one({"_id": scope})
            if existing is None:
                continue
            if existing["expires_at"] <= now:
                await self.collection.delete_one(
                    {"_id": scope, "expires_at": existing["expires_at"]}
                )
                continue
            if existing["fingerprint"] != request_fingerprint:
                raise IdempotencyKeyReused
            if existing["state"] == "done":
                return StoredResponse(
                    existing["status"], bytes(existing["body"]), dict(existing["headers"])
                )
            if existing["started_at"] + PENDING_LEASE > now:
                raise IdempotencyInProgress
            taken = await self.collection.update_one(
                {"_id": scope, "state": "pending", "started_at": existing["started_at"]},
                {"$set": {"started_at": now}},
            )
            if taken.modified_count == 1:
                return None
        raise IdempotencyInProgress

    async def complete(self, scope: str, response: StoredResponse) -> None:
        """Remember the answer for retries."""
        await self.collection.update_one(
            {"_id": scope},
            {
                "$set": {
                    "state": "done",
                    "status": response.status,
                    "body": response.body,
                    "headers": response.headers,
                }
            },
        )

    async def abandon(self, scope: str) -> None:
        """Forget a claim whose request failed, so a retry runs it again."""
        await self.collection.delete_one({"_id": scope, "state": "pending"})

    async def purge_expired(self) -> int:
        """Delete expired records (servers without TTL indexes need this)."""
        result = await self.collection.delete_many({"expires_at": {"$lte": now_ms()}})
        return result.deleted_count
