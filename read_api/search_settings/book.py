"""The search settings a read API process searches with (read_api.set_book: loaded, kept current).

After each reload that found them changed, the hit path forgets what it
remembered; what they change in a search (its words, its facet ordering) is
part of the internal query, so of its cache key.
"""

from __future__ import annotations

import logging

from catalog.search_settings.model import SearchSettings
from catalog.search_settings.storage import SEARCH_SETTINGS, SETTINGS_ID, settings_of
from catalog.versioned_docs import Document
from read_api.set_book import SetBook, book_lifespan

log = logging.getLogger(__name__)


class SettingsBook(SetBook[SearchSettings]):
    """The current search settings (the defaults until an editor writes some)."""

    def build(self, docs: list[Document]) -> SearchSettings:
        """The settings of the products index among the live documents."""
        for doc in docs:
            if doc["_id"] == SETTINGS_ID:
                try:
                    return settings_of(doc)
                except ValueError as exc:  # written by another version of the model
                    log.warning("stored settings unreadable", extra={"error": str(exc)})
        return SearchSettings()


# the process's settings book and its refresh loop
settings_lifespan = book_lifespan(
    "search_settings",
    lambda db, redis, poll_s, reload_s, on_change: SettingsBook(
        SEARCH_SETTINGS, db, redis, SearchSettings(),
        poll_s=poll_s, reload_s=reload_s, on_change=on_change,
    ),
)  # fmt: skip
