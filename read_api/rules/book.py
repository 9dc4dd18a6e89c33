"""The rule set a read API process searches with: loaded from MongoDB, kept current by polling.

Searches read `RuleBook.index` (in memory, no I/O). A background task asks
Redis every `rules_poll_s` for the rules version the write API increments,
and reloads the whole set from MongoDB when it moved, or every
`rules_reload_s` whatever it says (a lost increment costs one interval). A
failed load keeps the previous set. After each reload that found rules
changed (ids and versions), and when a validity
window opens or closes, `on_change` runs: the hit path forgets the keys it
remembered, since rule consequences are part of every cache key.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

from fastapi import FastAPI
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from catalog.clients import Clients
from catalog.rules.model import MAX_RULES
from catalog.rules.storage import RULES, RULES_VERSION_KEY, Document, is_live, rule_of
from read_api.rules.compiled import compile_rule
from read_api.rules.matching import RuleIndex

log = logging.getLogger(__name__)
Signature = tuple[str, int]  # a rule's id and version


def utc_now() -> datetime:
    """Now, as validity windows compare it."""
    return datetime.now(UTC)


async def load_index(db: AsyncDatabase[Document]) -> tuple[RuleIndex, frozenset[Signature]]:
    """Every live rule from MongoDB, compiled and indexed, and their ids and versions."""
    compiled = []
    seen: set[Signature] = set()
    async for doc in db[RULES].find({}):
        if not is_live(doc):
            continue
        seen.add((str(doc["_id"]), int(doc["version"])))
        try:
            fields = rule_of(doc)
        except ValueError as exc:  # written by another version of the model: left out
            log.warning("stored rule unreadable", extra={"rule": doc["_id"], "error": str(exc)})
            continue
        rule = compile_rule(str(doc["_id"]), fields)
        if rule is not None:
            compiled.append(rule)
    return RuleIndex.of(compiled[:MAX_RULES]), frozenset(seen)


class RuleBook:
    """The current rule index and the loop that keeps it current."""

    def __init__(
        self,
        db: AsyncDatabase[Document],
        redis: Redis,
        *,
        poll_s: float,
        reload_s: float,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.db = db
        self.redis = redis
        self.poll_s = poll_s
        self.reload_s = reload_s
        self.on_change = on_change
        self.index = RuleIndex.of([])
        self.version: bytes | str | None = None
        self.loaded_at = float("-inf")
        self.loaded: frozenset[Signature] | None = None
        self.next_change: datetime | None = None

    async def refresh(self) -> None:
        """Reload when the version moved or the reload interval passed; note window changes."""
        version = await self.redis.get(RULES_VERSION_KEY)
        due = time.monotonic() - self.loaded_at >= self.reload_s
        if version != self.version or due:
            index, loaded = await load_index(self.db)
            self.version, self.loaded_at = version, time.monotonic()
            if loaded == self.loaded:
                return  # a periodic reload that found nothing new keeps what it has
            self.index, self.loaded = index, loaded
            self.next_change = self.index.next_change(utc_now())
            self.on_change()
        elif self.next_change is not None and utc_now() >= self.next_change:
            self.next_change = self.index.next_change(utc_now())
            self.on_change()

    async def run(self) -> None:
        """Refresh forever; failures keep the current set and are retried next poll."""
        while True:
            try:
                await self.refresh()
            except Exception as exc:  # MongoDB or Redis away: search on with what is loaded
                log.warning("rules not refreshed", extra={"error": repr(exc)})
            await asyncio.sleep(self.poll_s)


@contextlib.asynccontextmanager
async def rules_lifespan(app: FastAPI, clients: Clients) -> AsyncIterator[None]:
    """Lifespan hook: the process's rule book and its refresh loop."""

    def forget_keys() -> None:
        hits = getattr(app.state, "hit_path", None)
        if hits is not None:
            hits.forget()

    settings = clients.settings
    book = RuleBook(
        clients.db,
        clients.redis,
        poll_s=settings.rules_poll_s,
        reload_s=settings.rules_reload_s,
        on_change=forget_keys,
    )
    app.state.rules = book
    task = asyncio.create_task(book.run(), name="rules-refresh")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
