"""How the search settings live in MongoDB: one versioned document (catalog.versioned_docs)."""

from __future__ import annotations

from catalog.search_settings.model import SearchSettings
from catalog.versioned_docs import DocSet, Document

SETTINGS_ID = "products"  # the index they are the settings of
SEARCH_SETTINGS = DocSet("search_settings", "catalog:search_settings:version", 1, "settings")


def settings_of(doc: Document) -> SearchSettings:
    """The settings of a stored document."""
    return SearchSettings.model_validate_json(doc["body"])
