"""The synonym sets a read API process searches with (read_api.set_book: loaded, kept current).

After each reload that found the sets changed, the hit path forgets what it
remembered; the alternatives a search looks for are part of its cache key
(read_api/query/model.py), so answers of other sets are never served.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from catalog.clients import Clients
from catalog.synonyms.model import MAX_SYNONYM_SETS
from catalog.synonyms.storage import SYNONYM_SET, synonym_of
from catalog.versioned_docs import Document
from read_api.set_book import SetBook, forgetting_hits, refreshing
from read_api.synonyms.index import SynonymIndex

log = logging.getLogger(__name__)


class SynonymBook(SetBook[SynonymIndex]):
    """The current synonym index."""

    def build(self, docs: list[Document]) -> SynonymIndex:
        """The index of the live sets (an unreadable one left out)."""
        sets = []
        for doc in docs[:MAX_SYNONYM_SETS]:
            try:
                sets.append((str(doc["_id"]), synonym_of(doc)))
            except ValueError as exc:  # written by another version of the model: left out
                log.warning(
                    "stored synonyms unreadable", extra={"id": doc["_id"], "error": str(exc)}
                )
        return SynonymIndex.of(sets)


@contextlib.asynccontextmanager
async def synonyms_lifespan(app: FastAPI, clients: Clients) -> AsyncIterator[None]:
    """Lifespan hook: the process's synonym book and its refresh loop."""
    settings = clients.settings
    book = SynonymBook(
        SYNONYM_SET,
        clients.db,
        clients.redis,
        SynonymIndex.of([]),
        poll_s=settings.rules_poll_s,
        reload_s=settings.rules_reload_s,
        on_change=forgetting_hits(app),
    )
    app.state.synonyms = book
    async with refreshing(book):
        yield
