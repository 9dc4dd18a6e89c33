"""The product state an index task carries, so the indexer need not read it back.

A writer knows the exact stored state its write left behind (the plan says
it). It sends that state with the product's id, and the indexer writes it to
Elasticsearch at its version, with no MongoDB read. Whether it is still the
latest state does not matter for safety: Elasticsearch's external versions
keep a newer document, and a change coalesced into a task already queued
raises that task's mark (catalog.queue), which sends the indexer to MongoDB
for that one id.

The state carries the write's outbox too (its change-log entry): the
indexer copies it to the change log, in one insert per task, before it
clears the product's unsynced mark, so the write path need not.

The state travels as JSON in the Celery message: dates as ISO 8601 strings,
which the document builder takes as they are. A state larger than
`MAX_CARRIED_BYTES` is not carried; its id alone is sent and read back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson

from catalog.products.storage import Document

MAX_CARRIED_BYTES = 32 * 1024
VERSION = "version"
DATE_FIELDS = ("created_at", "updated_at", "deleted_at")
OUTBOX = "_outbox"
ENTRY_DATE_FIELDS = ("at",)


def _json_ready(document: Mapping[str, Any]) -> Document:
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in document.items()
    }


def _dates(document: Mapping[str, Any], names: tuple[str, ...]) -> Document:
    out = dict(document)
    for name in names:
        value = out.get(name)
        if isinstance(value, str):
            parsed = datetime.fromisoformat(value)
            out[name] = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return out


def encode(state: Mapping[str, Any]) -> Document | None:
    """A stored state as a task carries it (JSON-ready), or None when it is too large."""
    carried = _json_ready(state)
    if OUTBOX in carried:
        carried[OUTBOX] = [_json_ready(entry) for entry in carried[OUTBOX]]
    if len(orjson.dumps(carried)) > MAX_CARRIED_BYTES:
        return None
    return carried


def decode(carried: Mapping[str, Any]) -> Document:
    """A carried state in the stored form the indexer builds documents from."""
    state = _dates(carried, DATE_FIELDS)
    if OUTBOX in state:
        state[OUTBOX] = [_dates(entry, ENTRY_DATE_FIELDS) for entry in state[OUTBOX]]
    return state


def version_of(carried: Mapping[str, Any]) -> int:
    """The version a carried state is at."""
    return int(carried[VERSION])
