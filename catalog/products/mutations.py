"""Pure planning of product changes: what to write, the resulting version, the change entry.

Single writes and bulk lines share these plans; `store.py` executes them.
Each plan is one atomic single-document write (no transactions needed): the
change-log entry rides along in the document's `_outbox`, which keeps a
product's newest entries (up to OUTBOX_ENTRIES and OUTBOX_BYTES). A write
that would overflow it starts it afresh and first copies the entries it
drops to the change log (`Mutation.spilled`), so most writes copy nothing;
the write is conditional on the version it read, so nothing uncopied is
ever overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import orjson

from catalog.products.storage import (
    LEGACY_SYNC_FIELDS,
    PUBLIC_FIELDS,
    Document,
    public_from_storage,
    to_storage,
)

Outcome = Literal["created", "updated", "unchanged", "deleted"]
MAX_LOGGED_VALUE_BYTES = 1000
# never part of the state an index task carries (the outbox is)
_NOT_CARRIED = frozenset(LEGACY_SYNC_FIELDS)
# mappings whose keys editors choose; written key by key (see _set_by_key)
_KEYED_FIELDS = ("attributes",)
# how many change entries, and how many bytes of them, a product's outbox holds
# before a write moves them to the change log: one insert per this many writes
OUTBOX_ENTRIES = 8
OUTBOX_BYTES = 8 * 1024


@dataclass(frozen=True, slots=True)
class Mutation:
    """One planned change of one product."""

    product_id: str
    outcome: Outcome
    version: int  # the version after the change
    expected_version: int | None  # None: the product must not exist yet (insert)
    write: Document | None  # an insert document or an update specification; None: no write
    change: Document | None  # the change-log entry
    # the stored state the write leaves behind (for an unchanged write: the
    # stored state), outbox included: what an index task carries so the
    # indexer need not read it back
    after: Document | None = None
    # entries of the outbox this write starts afresh: copied to the change log first
    spilled: tuple[Document, ...] = ()

    @property
    def may_resend(self) -> bool:
        """An unchanged write, whose index task goes out again if its id is still pending.

        A writer that died between its write and its task leaves the product
        unsynced (its id was recorded before the write); the client's retry
        finds it unchanged, and sending it again completes the first attempt
        without waiting for the sweeper. The pipeline asks the pending set.
        """
        return self.write is None and self.after is not None


def _logged(value: Any) -> Any:
    """A value as the change log keeps it: large values only by their size."""
    size = len(orjson.dumps(value))
    return value if size <= MAX_LOGGED_VALUE_BYTES else {"omitted_bytes": size}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per top-level field that differs: its value before and after (in storage form)."""
    before, after = to_storage(before), to_storage(after)
    return {
        name: {"from": _logged(before.get(name)), "to": _logged(after.get(name))}
        for name in PUBLIC_FIELDS
        if before.get(name) != after.get(name)
    }


def change_id(product_id: str, version: int) -> str:
    """The change log's id of one version: exact-id reads are fast on every server."""
    return f"{product_id}#{version}"


def _entry(
    product_id: str, version: int, op: str, actor: str, now: datetime, changes: dict[str, Any]
) -> Document:
    return {
        "_id": change_id(product_id, version),
        "product_id": product_id,
        "version": version,
        "op": op,
        "actor": actor,
        "at": now,
        "changes": changes,
    }


def plan_upsert(
    product_id: str,
    current: Document | None,
    public: dict[str, Any],
    *,
    op: str,
    actor: str,
    now: datetime,
) -> Mutation:
    """Create or replace a product with `public` (JSON-ready fields without the id)."""
    live = current is not None and current.get("deleted_at") is None
    before = public_from_storage(current) if live and current else {}
    if live and current is not None and before == public:
        version = current["version"]
        return Mutation(product_id, "unchanged", version, version, None, None, _after(current))

    version = current["version"] + 1 if current is not None else 1
    change = _entry(product_id, version, op, actor, now, diff(before, public))
    outbox, spilled = _outbox_after(current, change)
    stored = to_storage(public)
    if current is None:
        insert = {
            "_id": product_id,
            **stored,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "_outbox": [change],
        }
        return Mutation(product_id, "created", 1, None, insert, change, _after(insert))

    unset = {name: "" for name in PUBLIC_FIELDS if name not in stored}
    fields = {**stored, "updated_at": now, "_outbox": outbox}
    if not live:
        # re-created after a delete: the version keeps counting so no stale task wins
        fields["created_at"] = now
        unset["deleted_at"] = ""
    kept = {k: v for k, v in current.items() if k not in PUBLIC_FIELDS and k not in unset}
    after = _after({**kept, **fields, "version": version})
    set_fields = dict(fields)
    for name in _KEYED_FIELDS:
        _set_by_key(name, current.get(name), set_fields, unset)
    update: Document = {"$set": set_fields, "$inc": {"version": 1}}
    if unset:
        update["$unset"] = unset
    outcome: Outcome = "updated" if live else "created"
    expected = current["version"]
    return Mutation(product_id, outcome, version, expected, update, change, after, spilled)


def plan_delete(product_id: str, current: Document, *, actor: str, now: datetime) -> Mutation:
    """Turn a live product into a versioned tombstone."""
    version = current["version"] + 1
    change = _entry(
        product_id, version, "delete", actor, now, diff(public_from_storage(current), {})
    )
    outbox, spilled = _outbox_after(current, change)
    update: Document = {
        "$set": {"deleted_at": now, "updated_at": now, "_outbox": outbox},
        "$unset": {name: "" for name in PUBLIC_FIELDS},
        "$inc": {"version": 1},
    }
    kept = {k: v for k, v in current.items() if k not in PUBLIC_FIELDS}
    after = _after({**kept, **update["$set"], "version": version})
    expected = current["version"]
    return Mutation(product_id, "deleted", version, expected, update, change, after, spilled)


def _outbox_after(
    current: Document | None, change: Document
) -> tuple[list[Document], tuple[Document, ...]]:
    """The outbox a write leaves (the held entries and its own, or its own alone when
    that would overflow), and the entries it drops, for the change log."""
    held = list(current.get("_outbox", [])) if current is not None else []
    grown = [*held, change]
    if len(grown) <= OUTBOX_ENTRIES and len(orjson.dumps(grown)) <= OUTBOX_BYTES:
        return grown, ()
    return [change], tuple(held)


def _set_by_key(name: str, old: Any, set_fields: Document, unset: Document) -> None:
    """Write a keyed field by its keys (`name.key`) when it replaces a stored mapping.

    FerretDB 1.24 compares an embedded document with the one it replaces by its
    values alone and skips the `$set` when they look equal: `{"a": ""}` over
    `{"b": ""}` is acknowledged and dropped. Per-key paths hold scalars and
    lists of strings, which it compares correctly; MongoDB ends the same.
    """
    new = set_fields.get(name)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    del set_fields[name]
    for key, value in new.items():
        if key not in old or old[key] != value:
            set_fields[f"{name}.{key}"] = value
    for key in old:
        if key not in new:
            unset[f"{name}.{key}"] = ""


def _after(document: Document) -> Document:
    return {k: v for k, v in document.items() if k not in _NOT_CARRIED}
