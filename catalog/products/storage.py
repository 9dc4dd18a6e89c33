"""How products live in MongoDB: collection names, document shape, indexes.

MongoDB holds public fields as sent, except category paths: FerretDB rejects
nested arrays, so each path is stored as `{"path": [...]}`. Server-managed
fields sit beside them: `version`, `created_at`, `updated_at`, `deleted_at`
(a tombstone keeps its version so no stale index task can revive it), and
`_outbox` (the newest change-log entries, each written atomically with its
change, copied to the change log by the write that overflows it). Whether
the index holds a product's version is not recorded here (indexer.versions).
"""

from __future__ import annotations

import logging
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from catalog.products.model import ProductFields

log = logging.getLogger(__name__)

PRODUCTS = "products"
CHANGES = "product_changes"
IDEMPOTENCY = "idempotency_keys"
API_KEYS = "api_keys"

PUBLIC_FIELDS: tuple[str, ...] = tuple(ProductFields.model_fields)
SERVER_FIELDS = ("version", "created_at", "updated_at")
# marks of the sync that products written before 2026-12-08 may still hold;
# nothing reads them, and no state an index task carries includes them
LEGACY_SYNC_FIELDS = ("dirty_since", "synced_version")
Document = dict[str, Any]


def to_storage(public: dict[str, Any]) -> Document:
    """The stored form of a product's public fields (JSON-ready dict from the model)."""
    stored = dict(public)
    if "categories" in stored:
        stored["categories"] = [{"path": list(path)} for path in stored["categories"]]
    return stored


def public_from_storage(doc: Document) -> dict[str, Any]:
    """The public fields of a stored product, shaped as the API shows them."""
    public = {name: doc[name] for name in PUBLIC_FIELDS if name in doc}
    if "categories" in public:
        public["categories"] = [list(entry["path"]) for entry in public["categories"]]
    return public


def is_live(doc: Document | None) -> bool:
    """True for a stored product that exists and is not a tombstone."""
    return doc is not None and doc.get("deleted_at") is None


async def ensure_indexes(db: AsyncDatabase[Document], idempotency_ttl_s: int) -> None:
    """Create the indexes the write side relies on (idempotent)."""
    products = db[PRODUCTS]
    await products.create_index([("updated_at", DESCENDING)], name="updated_at")
    await db[CHANGES].create_index(
        [("product_id", ASCENDING), ("version", DESCENDING)], unique=True, name="product_version"
    )
    await db[CHANGES].create_index([("at", DESCENDING)], name="at")
    await ensure_ttl_index(db, IDEMPOTENCY, "expires_at", idempotency_ttl_s)


async def ensure_ttl_index(
    db: AsyncDatabase[Document], collection: str, field: str, ttl_s: int
) -> bool:
    """A TTL index where the server has them (MongoDB); False where it does not (FerretDB).

    Readers always check `field` themselves, and a periodic purge deletes
    expired documents, so expiry holds either way.
    """
    try:
        await db[collection].create_index(
            [(field, ASCENDING)], expireAfterSeconds=0, name=f"{field}_ttl"
        )
        return True
    except OperationFailure as exc:
        if exc.code != 238:  # NotImplemented
            raise
        log.info("no TTL indexes on this server; expiring %s by purge", collection)
        await db[collection].create_index([(field, ASCENDING)], name=f"{field}_expiry")
        return False
