"""The one table of what each role may do."""

from __future__ import annotations

from catalog.apikeys import PARENT_ROLES, POWERS, ROLES, Principal


def test_every_role_has_powers_and_only_admins_manage_keys() -> None:
    assert set(POWERS) == set(ROLES)
    assert [r for r in ROLES if Principal("0" * 12, r).may("manage_keys")] == ["admin"]
    assert all(POWERS[role] <= POWERS["admin"] for role in ROLES)


def test_analysts_read_but_never_write_or_skip_the_cache() -> None:
    analyst = Principal("0" * 12, "analyst")
    assert analyst.may("read_analytics")
    assert analyst.may("read_sync")
    assert not analyst.may("write")
    assert not analyst.may("read_fresh")
    assert not analyst.may("send_events")


def test_search_keys_search_and_send_events_only() -> None:
    assert POWERS["search"] == {"search", "send_events"}
    assert {"search"} == PARENT_ROLES
    assert not Principal("0" * 12, "editor").may("read_analytics")
