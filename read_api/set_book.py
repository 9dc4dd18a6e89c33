"""A versioned set a read API process searches with, kept current by polling (rules, synonyms).

Searches read `SetBook.index` (in memory, no I/O). A background task asks
Redis every `poll_s` for the set's version the write API increments, and
reloads the whole set from MongoDB when it moved, or every `reload_s`
whatever it says (a lost increment costs one interval). A failed load keeps
the previous set. After a reload that found the set changed (ids and
versions), `changed()` runs: by default `on_change`, with which the hit path
forgets the answers it remembered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, Generic, TypeVar

from fastapi import FastAPI
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from catalog.clients import Clients
from catalog.versioned_docs import DocSet, Document, is_live
from catalog.web.factory import LifespanHook

log = logging.getLogger(__name__)
Signature = tuple[str, int]  # an entry's id and version
T = TypeVar("T")


class SetBook(Generic[T]):
    """The current index of one set, built from its live documents, and the loop that reloads it."""

    def __init__(
        self,
        kind: DocSet,
        db: AsyncDatabase[Document],
        redis: Redis,
        empty: T,
        *,
        poll_s: float,
        reload_s: float,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.kind = kind
        self.db = db
        self.redis = redis
        self.poll_s = poll_s
        self.reload_s = reload_s
        self.on_change = on_change
        self.index = empty
        self.version: bytes | str | None = None
        self.loaded_at = float("-inf")
        self.loaded: frozenset[Signature] | None = None

    def build(self, docs: list[Document]) -> T:
        """The index of the live documents (a subclass's)."""
        raise NotImplementedError

    def changed(self) -> None:
        """After a reload that changed the index."""
        self.on_change()

    def tick(self) -> None:
        """After a poll that did not reload (a subclass may have time-based changes)."""

    async def load(self) -> tuple[T, frozenset[Signature]]:
        """The index of every live document, and their ids and versions."""
        docs = [doc async for doc in self.db[self.kind.collection].find({}) if is_live(doc)]
        seen = frozenset((str(doc["_id"]), int(doc["version"])) for doc in docs)
        return self.build(docs), seen

    async def refresh(self) -> None:
        """Reload when the version moved or the reload interval passed."""
        version = await self.redis.get(self.kind.version_key)
        due = time.monotonic() - self.loaded_at >= self.reload_s
        if version != self.version or due:
            index, loaded = await self.load()
            self.version, self.loaded_at = version, time.monotonic()
            if loaded == self.loaded:
                return  # a periodic reload that found nothing new keeps what it has
            self.index, self.loaded = index, loaded
            self.changed()
        else:
            self.tick()

    async def run(self) -> None:
        """Refresh forever; failures keep the current set and are retried next poll."""
        while True:
            try:
                await self.refresh()
            except Exception as exc:  # MongoDB or Redis away: search on with what is loaded
                log.warning(f"{self.kind.noun}s not refreshed", extra={"error": repr(exc)})
            await asyncio.sleep(self.poll_s)


def forgetting_hits(app: FastAPI) -> Callable[[], None]:
    """An `on_change` that makes the app's hit path forget the answers it remembered."""

    def forget() -> None:
        hits = getattr(app.state, "hit_path", None)
        if hits is not None:
            hits.forget()

    return forget


@contextlib.asynccontextmanager
async def refreshing(book: SetBook[Any]) -> AsyncIterator[None]:
    """The book's refresh loop, running for the duration of the block."""
    task = asyncio.create_task(book.run(), name=f"{book.kind.collection}-refresh")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


# a book over MongoDB and Redis: (db, redis, poll_s, reload_s, on_change) -> book
BookFactory = Callable[
    [AsyncDatabase[Document], Redis, float, float, Callable[[], None]], SetBook[Any]
]


def book_lifespan(state_name: str, make: BookFactory) -> LifespanHook:
    """A lifespan hook keeping a book at `app.state.<state_name>`, refreshed while the app runs.

    Its poll and reload intervals are the rules' settings (CATALOG_RULES_POLL_S,
    CATALOG_RULES_RELOAD_S); a change makes the hit path forget what it remembered.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI, clients: Clients) -> AsyncIterator[None]:
        settings = clients.settings
        forget = forgetting_hits(app)
        book = make(
            clients.db, clients.redis, settings.rules_poll_s, settings.rules_reload_s, forget
        )
        setattr(app.state, state_name, book)
        async with refreshing(book):
            yield

    return lifespan
