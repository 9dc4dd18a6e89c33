"""The state an index task carries: JSON in the message, stored form again at the indexer."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from catalog import carried

AT = datetime(2026, 12, 2, 10, 30, 15, 123000, tzinfo=UTC)


def test_dates_travel_as_iso_strings_and_come_back_as_dates() -> None:
    state = {"_id": "P-1", "version": 3, "title": "Hülle", "created_at": AT, "updated_at": AT}
    encoded = carried.encode(state)
    assert encoded is not None
    assert orjson.loads(orjson.dumps(encoded)) == encoded  # plain JSON
    assert encoded["updated_at"] == "2026-12-02T10:30:15.123000+00:00"
    assert carried.decode(encoded) == state
    assert carried.version_of(encoded) == 3


def test_a_tombstone_stays_a_tombstone() -> None:
    state = {"_id": "P-1", "version": 4, "deleted_at": AT, "updated_at": AT}
    encoded = carried.encode(state)
    assert encoded is not None
    assert carried.decode(encoded)["deleted_at"] == AT


def test_a_state_too_large_to_carry_is_left_to_be_read_back() -> None:
    big = {"_id": "P", "version": 1, "description": "x" * carried.MAX_CARRIED_BYTES}
    assert carried.encode(big) is None
    assert carried.encode({**big, "description": "x" * 100}) is not None
