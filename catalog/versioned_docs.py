"""Versioned documents of the merchandising sets (query rules, synonyms): shape and views.

A document is `{_id, body, version, created_at, updated_at}`, plus
`deleted_at` for a tombstone (it keeps its version, so If-Match and retries
stay exact after a delete). `body` is the entry's JSON text: FerretDB rejects
nested arrays, and an entry is always read whole. Every write increments the
set's version key in Redis after MongoDB has it; read APIs poll that counter
and reload the set (and reload it periodically anyway, so a lost increment
delays a change by one reload interval at most).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from pydantic import BaseModel

Document = dict[str, Any]


@dataclass(frozen=True, slots=True)
class DocSet:
    """One set: where it lives, the Redis key its writes bump, how large it may grow."""

    collection: str
    version_key: str
    max_entries: int
    noun: str  # "rule", "synonym set": in messages


def body_text(fields: BaseModel) -> str:
    """The stored JSON text of an entry's fields (aliases, defaults filled in, no objectID)."""
    dumped = fields.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"objectID"})
    return orjson.dumps(dumped).decode()


def view(doc: Document) -> dict[str, Any]:
    """A stored live entry as the APIs show it."""
    fields: dict[str, Any] = orjson.loads(doc["body"])
    return {
        "objectID": doc["_id"],
        **fields,
        "version": doc["version"],
        "created_at": doc["created_at"],
        "updated_at": doc["updated_at"],
    }


def is_live(doc: Document | None) -> bool:
    """A stored entry that exists and is not a tombstone."""
    return doc is not None and doc.get("deleted_at") is None


def new_document(
    doc_id: str, body: str, version: int, now: datetime, created: datetime
) -> Document:
    """The whole document a write leaves behind."""
    return {
        "_id": doc_id,
        "body": body,
        "version": version,
        "created_at": created,
        "updated_at": now,
    }
