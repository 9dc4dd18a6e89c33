"""Pure rules of the sync: which failures are outages, what is retried, how long to wait."""

from __future__ import annotations

import pytest

from indexer.sync import SyncResult, is_outage
from indexer.versions import compare, lags
from workers.runtime import RETRY_BACKOFF_MAX_S
from workers.tasks.indexing import retry_delay_s


@pytest.mark.parametrize("status", [429, 403, 500, 502, 503, 504, "N/A", None])
def test_outages_are_retried_as_they_are(status: object) -> None:
    assert is_outage(status)


@pytest.mark.parametrize("status", [400, 404, 413])
def test_a_document_refused_for_itself_is_a_rejection(status: int) -> None:
    assert not is_outage(status)


def test_outages_and_live_rejections_are_retried_but_not_dead_letters() -> None:
    result = SyncResult(
        rejected={"a": "mapper_parsing_exception", "b": "mapper_parsing_exception"},
        unavailable={"c": "ConnectionError"},
        dead_lettered=["b"],
    )
    assert result.to_retry == ["c", "a"]
    assert set(result.failed) == {"a", "b", "c"}
    assert not result.changed
    assert SyncResult(deleted=1).changed


@pytest.mark.parametrize("retries", range(12))
def test_backoff_grows_with_jitter_and_a_cap(retries: int) -> None:
    ceiling = min(RETRY_BACKOFF_MAX_S, 2.0**retries)
    delays = {retry_delay_s(retries) for _ in range(50)}
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len(delays) > 1  # jittered: workers retrying together spread out


@pytest.mark.parametrize(
    ("stored", "indexed", "kind"),
    [
        ({"version": 3}, 3, None),
        ({"version": 3}, None, "missing"),
        ({"version": 3}, 2, "stale"),
        ({"version": 3}, 4, "ahead"),
        ({"version": 3, "deleted_at": "x"}, 2, "extra"),
        ({"version": 3, "deleted_at": "x"}, None, None),
        (None, 1, "extra"),
        (None, None, None),
    ],
)
def test_audit_comparison_of_one_product(
    stored: dict[str, object] | None, indexed: int | None, kind: str | None
) -> None:
    assert compare(stored, indexed) == kind


@pytest.mark.parametrize(
    ("stored", "indexed", "unsynced"),
    [
        ({"version": 3}, 3, False),
        ({"version": 3}, None, True),  # never indexed
        ({"version": 3}, 2, True),  # an older version indexed
        ({"version": 3}, 4, False),  # ahead: sending MongoDB's state again cannot help
        ({"version": 3, "deleted_at": "x"}, 2, True),  # deleted, the live one still indexed
        ({"version": 3, "deleted_at": "x"}, None, False),  # deleted in both
        ({"version": 3, "deleted_at": "x"}, 3, False),  # not a live state: left to the audit
    ],
)
def test_a_product_is_unsynced_while_the_index_holds_an_older_state(
    stored: dict[str, object], indexed: int | None, unsynced: bool
) -> None:
    assert lags(stored, indexed) is unsynced
