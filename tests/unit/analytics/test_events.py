"""Search events, the roll-up's pure parts and the search log's queue, tested as data."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import redis.asyncio as aioredis
from prometheus_client import REGISTRY
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from analytics.events import (
    SearchEvent,
    event_document,
    event_from_stream,
    events_index,
    index_day,
    normalise_query,
)
from analytics.rollup import bulk_actions, expired_indices, upcoming_indices
from analytics.search_log import SearchLog

AT = datetime(2025, 3, 9, 23, 59, 59, 123000, tzinfo=UTC)


def test_queries_are_counted_in_one_form() -> None:
    assert normalise_query("  iPhone\t15   HÜLLE ") == "iphone 15 hülle"
    # composed and decomposed umlauts are one query
    assert normalise_query("Hu\u0308lle") == normalise_query("Hülle") == "hülle"
    assert normalise_query("   ") == ""


def test_an_event_survives_the_stream() -> None:
    filters = ["price:(,9]", "brand:Spigen"]  # as the read API describes them
    event = SearchEvent.of("search", " Hülle ", "Audio > Kopfhörer", filters, 7, at=AT)
    fields = {key.encode(): value for key, value in event.stream_fields().items()}
    assert event_from_stream(fields) == event
    assert event.query == "hülle"
    assert event.filters == ("brand:Spigen", "price:(,9]")


def test_broken_or_trimmed_entries_are_not_events() -> None:
    assert event_from_stream({b"kind": b"search"}) is None
    good = SearchEvent.of("listing", "", None, [], 0, at=AT).stream_fields()
    fields = {key.encode(): value for key, value in good.items()}
    assert event_from_stream({**fields, b"kind": b"other"}) is None
    assert event_from_stream({**fields, b"total": b"many"}) is None
    assert event_from_stream({**fields, b"filters": b"{"}) is None


def test_event_documents_mark_searches_without_results() -> None:
    empty = event_document(SearchEvent.of("search", "x", None, [], 0, at=AT))
    assert empty["no_results"] is True
    assert "category" not in empty
    found = event_document(SearchEvent.of("listing", "", "A > B", [], 3, at=AT))
    assert (found["no_results"], found["category"], found["total"]) == (False, "A > B", 3)


def test_daily_indices_are_named_by_the_utc_day() -> None:
    assert events_index("catalog", AT) == "catalog-search-events-2025.03.09"
    assert index_day("catalog", "catalog-search-events-2025.03.09") == datetime(
        2025, 3, 9, tzinfo=UTC
    )
    assert index_day("catalog", "catalog-products-v1-first") is None
    assert index_day("catalog", "catalog-search-events-latest") is None
    assert upcoming_indices("catalog", AT) == {
        "catalog-search-events-2025.03.09",
        "catalog-search-events-2025.03.10",
    }


def test_only_indices_past_the_retention_expire() -> None:
    names = [
        "c-search-events-2025.03.01",
        "c-search-events-2025.03.02",
        "c-search-events-2025.03.09",
        "c-products-v1-first",
        "other-search-events-2020.01.01",
    ]
    now = datetime(2025, 3, 9, 12, tzinfo=UTC)
    assert expired_indices("c", names, now, days=7) == ["c-search-events-2025.03.01"]


def test_bulk_actions_use_stream_ids_so_a_repeat_overwrites() -> None:
    event = SearchEvent.of("search", "kabel", None, [], 2, at=AT)
    fields = {key.encode(): value for key, value in event.stream_fields().items()}
    batch = bulk_actions("c", [(b"1-0", fields), (b"2-0", None), (b"3-0", {})])
    actions = batch.actions
    assert batch.skipped == 2
    assert [(a["_id"], a["_index"]) for a in actions] == [("1-0", "c-search-events-2025.03.09")]
    assert actions[0]["_source"]["query"] == "kabel"


def _counted(outcome: str) -> float:
    value = REGISTRY.get_sample_value("catalog_search_events_total", {"outcome": outcome})
    return value or 0.0


def _dropped_full() -> float:
    return _counted("dropped_full")


def test_a_full_queue_drops_and_counts_instead_of_waiting() -> None:
    async def run() -> None:
        log = SearchLog(None, capacity=2, stream_maxlen=1000)  # no flusher: it only fills
        before = _dropped_full()
        for _ in range(5):
            log.record(SearchEvent.of("search", "hülle", None, [], 3))
        assert _dropped_full() - before == 3

    asyncio.run(run())


def test_with_redis_away_events_are_dropped_and_counted() -> None:
    async def run() -> None:
        # nothing listens on port 1: every connection is refused at once
        client = aioredis.Redis(
            host="127.0.0.1", port=1, socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0)
        )
        log = SearchLog(client, capacity=10, stream_maxlen=1000)
        before = _counted("dropped_redis")
        log.start()
        try:
            for _ in range(3):
                log.record(SearchEvent.of("search", "kabel", None, [], 1))  # returns at once
            for _ in range(100):  # liveness bound, not a timing assertion
                if _counted("dropped_redis") - before >= 3:
                    break
                await asyncio.sleep(0.05)
            assert _counted("dropped_redis") - before == 3
        finally:
            await log.stop()
            await client.aclose()

    asyncio.run(run())
