"""How synonym sets live in MongoDB (catalog.versioned_docs): collection, version key, body."""

from __future__ import annotations

from catalog.synonyms.model import MAX_SYNONYM_SETS, SynonymFields
from catalog.versioned_docs import DocSet, Document

SYNONYMS = "synonyms"
SYNONYMS_VERSION_KEY = "catalog:synonyms:version"
SYNONYM_SET = DocSet(SYNONYMS, SYNONYMS_VERSION_KEY, MAX_SYNONYM_SETS, "synonym set")


def synonym_of(doc: Document) -> SynonymFields:
    """The synonym set of a stored document."""
    return SynonymFields.model_validate_json(doc["body"])
