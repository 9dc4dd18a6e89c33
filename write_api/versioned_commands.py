"""Command handlers of a versioned set (query rules, synonyms): create, replace, delete.

A write is one conditional single-document write (`{_id, version}` as read),
so a racing writer makes it re-plan, or, with If-Match, answer 412. After
MongoDB has the write, the set's version in Redis is incremented so read
APIs reload within their poll interval. A set kind adds its own checks
against the catalog by overriding `check` (pins of rules name products).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError
from redis.asyncio import Redis
from redis.exceptions import RedisError

from catalog.clock import now_ms
from catalog.versioned_docs import DocSet, Document, body_text, is_live, new_document

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
F = TypeVar("F", bound=BaseModel)


class EntryNotFound(Exception):
    """No live entry with this id."""


class EntryExists(Exception):
    """A create found a live entry with this id."""


class EntryPreconditionFailed(Exception):
    """If-Match named a version the entry does not have."""


class EntryConflict(Exception):
    """Other writers kept changing the entry, or the set is full."""


class InvalidEntry(Exception):
    """An entry that validates alone but not against the catalog."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("invalid entry")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class EntryResult:
    """What a write did and the document it left behind."""

    outcome: str  # created | updated | unchanged | deleted
    document: Document


def _matches(current: Document | None, if_match: str | None) -> bool:
    if if_match is None:
        return True
    if not is_live(current):
        return False
    if if_match.strip() == "*":
        return True
    assert current is not None
    tags = {tag.strip().removeprefix("W/").strip('"') for tag in if_match.split(",")}
    return str(current["version"]) in tags


class VersionedCommands(Generic[F]):
    """Writes over one set's collection."""

    def __init__(self, kind: DocSet, db: AsyncDatabase[Document], redis: Redis) -> None:
        self.kind = kind
        self.entries = db[kind.collection]
        self.redis = redis

    async def check(self, fields: F, where: tuple[str | int, ...] = ()) -> None:
        """InvalidEntry when the fields do not hold against the catalog (nothing to check here)."""

    async def get(self, entry_id: str) -> Document | None:
        """The stored entry (live or tombstone), or None."""
        return await self.entries.find_one({"_id": entry_id})

    async def list_live(self, limit: int) -> list[Document]:
        """Live entries by id."""
        # tombstones are filtered here: FerretDB's handling of `{field: null}` differs
        live = [doc async for doc in self.entries.find({}) if is_live(doc)]
        return sorted(live, key=lambda doc: str(doc["_id"]))[:limit]

    async def upsert(
        self, entry_id: str, fields: F, *, if_match: str | None, create_only: bool = False
    ) -> EntryResult:
        """Create or replace an entry (create_only: EntryExists when it is live)."""
        await self.check(fields)
        body = body_text(fields)
        for _ in range(MAX_ATTEMPTS):
            current = await self.get(entry_id)
            live = is_live(current)
            if create_only and live:
                raise EntryExists
            if not _matches(current, if_match):
                raise EntryPreconditionFailed
            if live and current is not None and current["body"] == body:
                return EntryResult("unchanged", current)
            if not live:
                await self._check_room()
            now = now_ms()
            if current is None:
                doc = new_document(entry_id, body, 1, now, now)
                try:
                    await self.entries.insert_one(doc)
                except DuplicateKeyError:
                    continue
            else:
                created = current["created_at"] if live else now
                doc = new_document(entry_id, body, current["version"] + 1, now, created)
                done = await self.entries.replace_one(
                    {"_id": entry_id, "version": current["version"]}, doc
                )
                if done.matched_count != 1:
                    if if_match is not None:
                        raise EntryPreconditionFailed
                    continue
            await self.bump()
            return EntryResult("updated" if live else "created", doc)
        raise EntryConflict

    async def delete(self, entry_id: str, *, if_match: str | None) -> EntryResult:
        """Turn a live entry into a versioned tombstone."""
        for _ in range(MAX_ATTEMPTS):
            current = await self.get(entry_id)
            if not is_live(current):
                raise EntryNotFound
            assert current is not None
            if not _matches(current, if_match):
                raise EntryPreconditionFailed
            now = now_ms()
            doc = {
                **new_document(entry_id, "{}", current["version"] + 1, now, current["created_at"]),
                "deleted_at": now,
            }
            done = await self.entries.replace_one(
                {"_id": entry_id, "version": current["version"]}, doc
            )
            if done.matched_count == 1:
                await self.bump()
                return EntryResult("deleted", doc)
            if if_match is not None:
                raise EntryPreconditionFailed
        raise EntryConflict

    async def _check_room(self) -> None:
        limit = self.kind.max_entries
        if len(await self.list_live(limit)) >= limit:
            raise EntryConflict(f"the {self.kind.noun} set is full ({limit}); delete one first")

    async def bump(self) -> None:
        """Tell read APIs the set changed (they also reload periodically)."""
        try:
            await self.redis.incr(self.kind.version_key)
        except RedisError as exc:  # MongoDB has the write: the periodic reload brings it
            log.warning(f"{self.kind.noun} version not bumped", extra={"error": repr(exc)})
