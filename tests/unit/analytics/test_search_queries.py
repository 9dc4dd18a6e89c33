"""Search analytics request bodies, tested as data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from analytics.search_queries import (
    parse_duration,
    top_queries_body,
    volume_body,
    volume_bucket_count,
)

SINCE = datetime(2025, 3, 1, tzinfo=UTC)


def test_durations() -> None:
    assert parse_duration("15m") == timedelta(minutes=15)
    assert parse_duration("7d") == timedelta(days=7)
    for bad in ("", "0h", "7 d", "1w", "-1d", "99999d"):
        with pytest.raises(ValueError):  # noqa: PT011 (one message for all)
            parse_duration(bad)


def test_top_queries_leave_out_listings_and_empty_queries() -> None:
    body = top_queries_body(SINCE, 10, prefix=" IPhone ", no_results_only=True)
    clauses = body["query"]["bool"]["filter"]
    # searches with words: native ones and those over the Algolia protocol, not listings
    assert {"terms": {"kind": ["search", "algolia"]}} in clauses
    assert {"prefix": {"query": "iphone"}} in clauses
    assert {"term": {"no_results": True}} in clauses
    assert body["query"]["bool"]["must_not"] == [{"term": {"query": ""}}]
    assert body["aggs"]["queries"]["terms"]["size"] == 10


def test_volume_covers_the_whole_period() -> None:
    until = SINCE + timedelta(hours=2)
    body = volume_body(SINCE, until, "5m", query="Kabel", kind="listing")
    histogram = body["aggs"]["volume"]["date_histogram"]
    assert histogram["fixed_interval"] == "5m"
    assert histogram["min_doc_count"] == 0
    assert histogram["extended_bounds"]["max"] - histogram["extended_bounds"]["min"] == 7_200_000
    assert {"term": {"query": "kabel"}} in body["query"]["bool"]["filter"]
    assert {"term": {"kind": "listing"}} in body["query"]["bool"]["filter"]
    assert volume_bucket_count(timedelta(hours=2), timedelta(minutes=5)) == 26
