"""Planning changes: outcomes, versions, update specifications and change entries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from catalog.products.mutations import (
    MAX_LOGGED_VALUE_BYTES,
    OUTBOX_BYTES,
    OUTBOX_ENTRIES,
    diff,
    plan_delete,
    plan_upsert,
)
from catalog.products.storage import LEGACY_SYNC_FIELDS, to_storage

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
PUBLIC: dict[str, Any] = {
    "title": "Hülle",
    "price": 19.99,
    "stock": 3,
    "status": "active",
    "categories": [["Handyzubehör", "Hüllen"]],
    "attributes": {"color": "rot"},
    "images": [],
}


def stored(version: int = 4, **extra: Any) -> dict[str, Any]:
    return {"_id": "P-1", **to_storage(PUBLIC), "version": version, "created_at": NOW, **extra}


def test_a_new_product_is_inserted_at_version_1_with_its_change_in_the_outbox() -> None:
    m = plan_upsert("P-1", None, PUBLIC, op="create", actor="k", now=NOW)
    assert (m.outcome, m.version, m.expected_version) == ("created", 1, None)
    assert m.write is not None
    assert m.write["_id"] == "P-1"
    assert m.write["categories"] == [{"path": ["Handyzubehör", "Hüllen"]}]
    assert m.write["_outbox"] == [m.change]
    # nothing about the sync: the index's version says whether it is synced
    assert not set(LEGACY_SYNC_FIELDS) & set(m.write)


def test_an_identical_replace_writes_nothing_and_may_send_the_stored_state_again() -> None:
    # the writer before may have died between its write and its index task:
    # the pipeline sends this state again if the id is still pending
    current = stored(dirty_since=NOW, synced_version=3, _outbox=[{"_id": "P-1#4"}])
    m = plan_upsert("P-1", current, dict(PUBLIC), op="replace", actor="k", now=NOW)
    assert (m.outcome, m.version, m.write, m.change) == ("unchanged", 4, None, None)
    assert m.may_resend
    assert m.after is not None
    assert m.after["version"] == 4
    # a product written before the marks went keeps them; a task never carries them
    assert not set(LEGACY_SYNC_FIELDS) & set(m.after)
    assert m.after["_outbox"] == [{"_id": "P-1#4"}]


def test_a_write_is_never_one_to_resend() -> None:
    new = {**PUBLIC, "price": 17.5}
    m = plan_upsert("P-1", stored(), new, op="replace", actor="k", now=NOW)
    assert m.write is not None
    assert not m.may_resend


def test_attributes_replacing_stored_ones_are_written_key_by_key() -> None:
    # FerretDB drops a `$set` of {"size": "rot"} over {"color": "rot"}: same values
    current = stored(attributes={"color": "rot", "kept": 1})
    new = {**PUBLIC, "attributes": {"size": "rot", "kept": 1}}
    m = plan_upsert("P-1", current, new, op="replace", actor="k", now=NOW)
    assert m.write is not None
    assert "attributes" not in m.write["$set"]
    assert m.write["$set"]["attributes.size"] == "rot"
    assert "attributes.kept" not in m.write["$set"]
    assert m.write["$unset"]["attributes.color"] == ""
    assert m.after is not None
    assert m.after["attributes"] == {"size": "rot", "kept": 1}


def test_attributes_of_a_tombstone_are_set_whole() -> None:
    current = stored(deleted_at=NOW)
    del current["attributes"]
    m = plan_upsert("P-1", current, dict(PUBLIC), op="create", actor="k", now=NOW)
    assert m.write is not None
    assert m.write["$set"]["attributes"] == {"color": "rot"}


def test_a_replace_sets_new_fields_unsets_missing_ones_and_bumps_the_version() -> None:
    new = {**PUBLIC, "price": 17.5}
    del new["attributes"]
    m = plan_upsert("P-1", stored(brand="Acme"), new, op="replace", actor="k", now=NOW)
    assert (m.outcome, m.version, m.expected_version) == ("updated", 5, 4)
    assert m.write is not None
    assert m.write["$set"]["price"] == 17.5
    assert "attributes" in m.write["$unset"]
    assert "brand" in m.write["$unset"]
    assert m.write["$inc"] == {"version": 1}
    assert set(m.write) <= {"$set", "$unset", "$inc"}
    assert m.change is not None
    assert m.change["changes"]["price"] == {"from": 19.99, "to": 17.5}
    assert m.change["version"] == 5


def test_recreating_a_tombstone_continues_its_version() -> None:
    tombstone = {"_id": "P-1", "version": 7, "deleted_at": NOW, "created_at": NOW}
    m = plan_upsert("P-1", tombstone, PUBLIC, op="create", actor="k", now=NOW)
    assert (m.outcome, m.version, m.expected_version) == ("created", 8, 7)
    assert m.write is not None
    assert m.write["$unset"]["deleted_at"] == ""


def test_a_delete_leaves_a_versioned_tombstone_without_public_fields() -> None:
    m = plan_delete("P-1", stored(), actor="k", now=NOW)
    assert (m.outcome, m.version, m.expected_version) == ("deleted", 5, 4)
    assert m.write is not None
    assert m.write["$set"]["deleted_at"] == NOW
    assert {"title", "price", "attributes"} <= set(m.write["$unset"])
    assert m.change is not None
    assert m.change["changes"]["title"] == {"from": "Hülle", "to": None}


def test_large_values_are_logged_by_size_only() -> None:
    big = "x" * (MAX_LOGGED_VALUE_BYTES + 10)
    changes = diff({"description": "kurz"}, {"description": big})
    assert changes["description"]["from"] == "kurz"
    assert changes["description"]["to"] == {"omitted_bytes": len(big) + 2}


def test_each_write_sets_the_whole_outbox_with_its_own_change_last() -> None:
    m = plan_upsert(
        "P-1",
        stored(_outbox=[{"version": 4}]),
        {**PUBLIC, "stock": 9},
        op="replace",
        actor="k",
        now=NOW,
    )
    assert m.write is not None
    assert m.write["$set"]["_outbox"] == [{"version": 4}, m.change]
    assert "$push" not in m.write


def test_the_outbox_keeps_the_newest_entries_until_it_is_full() -> None:
    held = [{"_id": f"P-1#{v}", "version": v} for v in range(1, OUTBOX_ENTRIES)]
    m = plan_upsert(
        "P-1",
        stored(version=OUTBOX_ENTRIES - 1, _outbox=held),
        {**PUBLIC, "price": 1.0},
        op="replace",
        actor="k",
        now=NOW,
    )
    assert m.write is not None
    assert m.write["$set"]["_outbox"] == [*held, m.change]
    assert m.spilled == ()  # nothing to copy: the change log waits

    full = [*held, {"_id": f"P-1#{OUTBOX_ENTRIES}", "version": OUTBOX_ENTRIES}]
    m = plan_upsert(
        "P-1",
        stored(version=OUTBOX_ENTRIES, _outbox=full),
        {**PUBLIC, "price": 1.0},
        op="replace",
        actor="k",
        now=NOW,
    )
    assert m.write is not None
    assert m.write["$set"]["_outbox"] == [m.change]
    assert m.spilled == tuple(full)  # copied to the change log before the write
    assert m.after is not None
    assert m.after["_outbox"] == [m.change]


def test_large_entries_fill_the_outbox_sooner() -> None:
    big = {"_id": "P-1#4", "version": 4, "changes": {"description": "x" * OUTBOX_BYTES}}
    m = plan_delete("P-1", stored(_outbox=[big]), actor="k", now=NOW)
    assert m.write is not None
    assert m.write["$set"]["_outbox"] == [m.change]
    assert m.spilled == (big,)
