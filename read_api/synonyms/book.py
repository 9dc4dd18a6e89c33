"""The synonym sets a read API process searches with (read_api.set_book: loaded, kept current).

After each reload that found the sets changed, the hit path forgets what it
remembered; the alternatives a search looks for are part of its cache key
(read_api/query/model.py), so answers of other sets are never served.
"""

from __future__ import annotations

import logging

from catalog.synonyms.model import MAX_SYNONYM_SETS
from catalog.synonyms.storage import SYNONYM_SET, synonym_of
from catalog.versioned_docs import Document
from read_api.set_book import SetBook, book_lifespan
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


# the process's synonym book and its refresh loop
synonyms_lifespan = book_lifespan(
    "synonyms",
    lambda db, redis, poll_s, reload_s, on_change: SynonymBook(
        SYNONYM_SET, db, redis, SynonymIndex.of([]),
        poll_s=poll_s, reload_s=reload_s, on_change=on_change,
    ),
)  # fmt: skip
