"""Click analytics, tested as data: query ids, Insights events, roll-up actions, the rates."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from pydantic import ValidationError

from analytics.click_queries import click_analytics, positions_body, rate, rates_body
from analytics.events import SearchEvent, event_document, event_from_stream, index_day
from analytics.insights_events import (
    InsightEvent,
    insight_documents,
    insight_from_stream,
)
from analytics.insights_model import InsightsBatch, error_message, is_malformed
from analytics.query_ids import new_query_id, query_id_time
from analytics.rollup import expired_indices
from analytics.rollup_actions import BatchActions, KnownSearch, bulk_actions, searches_to_look_up
from analytics.search_queries import query_stats

AT = datetime(2025, 3, 9, 23, 59, 59, 500000, tzinfo=UTC)
AT_MS = int(AT.timestamp() * 1000)


def _fields(event: SearchEvent | InsightEvent) -> dict[bytes, bytes]:
    return {key.encode(): value for key, value in event.stream_fields().items()}


def _click(query_id: str | None, at: datetime = AT, **changes: Any) -> InsightEvent:
    base: dict[str, Any] = {
        "at": at,
        "kind": "click",
        "name": "Product Clicked",
        "index": "products",
        "user_token": "user-1",
        "authenticated_user_token": None,
        "object_ids": ("RA-1", "RA-2"),
        "positions": (3, 7),
        "query_id": query_id,
    }
    return InsightEvent(**(base | changes))


def test_query_ids_look_like_algolias_and_carry_their_time() -> None:
    first, second = new_query_id(AT_MS), new_query_id(AT_MS)
    assert len(first) == 32
    assert first == first.lower()
    int(first, 16)  # hex only
    assert first != second
    assert query_id_time(first) == AT.replace(microsecond=500000)
    now = datetime.now(UTC)
    assert abs(query_id_time(new_query_id()) - now) < timedelta(minutes=1)  # type: ignore[operator]
    assert query_id_time("f" * 32) is None  # beyond what a datetime holds
    assert query_id_time("not-a-query-id") is None
    assert query_id_time("A" * 32) is None


def test_a_search_keeps_its_query_id_and_hits_through_the_stream() -> None:
    query_id = new_query_id(AT_MS)
    event = SearchEvent.of(
        "algolia", " Hülle ", None, [], 4, at=AT, query_id=query_id, hits=["RA-1", "RA-2"]
    )
    assert event_from_stream(_fields(event)) == event
    assert event_document(event)["query_id"] == query_id
    assert event_document(event)["hits"] == ["RA-1", "RA-2"]
    # hits are kept only for a search its clicks can name
    untracked = SearchEvent.of("search", "hülle", None, [], 4, at=AT, hits=["RA-1"])
    assert "qid" not in untracked.stream_fields()
    assert "hits" not in untracked.stream_fields()
    assert "query_id" not in event_document(untracked)
    assert "hits" not in event_document(untracked)


def _event(**changes: Any) -> dict[str, Any]:
    base = {
        "eventType": "click",
        "eventName": "Product Clicked",
        "index": "products",
        "userToken": "user-1",
        "objectIDs": ["RA-1", "RA-2"],
        "positions": [1, 5],
        "queryID": "a" * 32,
    }
    return {key: value for key, value in (base | changes).items() if value is not None}


def _problem(*events: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        InsightsBatch.model_validate_json(orjson.dumps({"events": list(events)}))
    assert not is_malformed(caught.value)
    return error_message(caught.value)


def test_insights_events_follow_algolias_rules() -> None:
    now_ms = time.time_ns() // 1_000_000
    good = [
        _event(timestamp=now_ms - 3_600_000),
        _event(eventType="conversion", positions=None, eventSubtype="purchase"),
        _event(eventType="view", queryID=None, positions=None),
        _event(objectIDs=None, positions=None, queryID=None, filters=["brand:Acme"]),
        _event(userToken=None, authenticatedUserToken="account-9"),
    ]
    assert len(InsightsBatch.model_validate({"events": good}).events) == 5
    assert _problem(_event(positions=[1])).startswith("events[0].positions:")
    assert _problem(_event(), _event(positions=None)).startswith("events[1].positions:")
    assert _problem(_event(positions=[0, 2])).startswith("events[0].positions[0]:")
    assert _problem(_event(userToken=None)).startswith("events[0].userToken:")
    assert _problem(_event(userToken="has space")).startswith("events[0].userToken:")
    assert _problem(_event(queryID="A" * 32)).startswith("events[0].queryID:")
    assert _problem(_event(eventType="view")).startswith("events[0].queryID:")
    assert _problem(_event(eventType="tap")).startswith("events[0].eventType:")
    assert _problem(_event(eventName="x" * 65)).startswith("events[0].eventName:")
    assert _problem(_event(eventSubtype="purchase")).startswith("events[0].eventSubtype:")
    assert _problem(_event(objectIDs=[f"o{n}" for n in range(21)])).startswith(
        "events[0].objectIDs:"
    )
    assert _problem(_event(filters=["brand:x"])).startswith("events[0].filters:")
    assert _problem(_event(timestamp=now_ms - 5 * 86_400_000)).startswith("events[0].timestamp:")
    assert _problem(_event(surprise=1)).startswith("events[0].surprise:")
    assert _problem(*[_event()] * 1001).startswith("events:")
    with pytest.raises(ValidationError) as caught:
        InsightsBatch.model_validate_json(b"[1, 2]")
    assert is_malformed(caught.value)


def test_an_insight_survives_the_stream_and_splits_per_object() -> None:
    click = _click(new_query_id(AT_MS), authenticated_user_token="acct-1", subtype=None)
    assert insight_from_stream(_fields(click)) == click
    assert insight_from_stream({**_fields(click), b"kind": b"search"}) is None
    assert insight_from_stream({**_fields(click), b"positions": b"[x"}) is None
    docs = insight_documents(click, "hülle")
    assert [(d["object_id"], d["position"]) for d in docs] == [("RA-1", 3), ("RA-2", 7)]
    assert {d["query"] for d in docs} == {"hülle"}
    on_filters = _click(None, object_ids=(), positions=(), filters=("brand:A", "color:rot"))
    assert [d["filter"] for d in insight_documents(on_filters)] == ["brand:A", "color:rot"]
    assert all("query_id" not in d and "query" not in d for d in insight_documents(on_filters))


def _search(query_id: str, at: datetime = AT, hits: tuple[str, ...] = ("RA-1", "RA-2")) -> Any:
    return SearchEvent.of("algolia", "Hülle", None, [], 9, at=at, query_id=query_id, hits=hits)


def test_searches_and_their_clicks_meet_in_one_document_in_either_order_in_a_batch() -> None:
    query_id = new_query_id(AT_MS)
    search = _search(query_id, hits=("RA-0", "RA-1", "RA-2"))
    later = AT + timedelta(minutes=2)  # the next UTC day: the search's day still counts
    click = _click(query_id, at=later)
    buy = _click(query_id, at=later, kind="conversion", positions=())
    entries = [(b"1-0", _fields(click)), (b"2-0", _fields(buy)), (b"3-0", _fields(search))]
    batch = bulk_actions("c", entries)
    assert (batch.skipped, batch.unmerged) == (0, {})
    upserts = [a for a in batch.actions if a["_op_type"] == "update"]
    assert {(a["_index"], a["_id"]) for a in upserts} == {("c-search-events-2025.03.09", query_id)}
    assert all(a["doc_as_upsert"] for a in upserts)
    assert [a["doc"].get("clicked") for a in upserts] == [True, None, None]
    assert [a["doc"].get("converted") for a in upserts] == [None, True, None]
    assert upserts[2]["doc"]["query"] == "hülle"
    indexed = [a for a in batch.actions if a["_op_type"] == "index"]
    assert [a["_id"] for a in indexed] == ["1-0.0", "1-0.1", "2-0.0", "2-0.1"]
    assert {a["_index"] for a in indexed} == {"c-insights-events-2025.03.10"}
    # the search is in the batch: its query is known without a look-up
    assert {a["_source"]["query"] for a in indexed} == {"hülle"}
    assert all("unmerged" not in a["_source"] for a in indexed)
    assert searches_to_look_up("c", entries) == {}


def test_clicks_on_searches_rolled_up_before_merge_with_what_the_look_up_found() -> None:
    query_id = new_query_id(AT_MS)
    entries = [(b"5-0", _fields(_click(query_id, at=AT + timedelta(seconds=30))))]
    assert searches_to_look_up("c", entries) == {query_id: "c-search-events-2025.03.09"}
    found = KnownSearch("c-search-events-2025.03.09", "kabel", frozenset({"RA-1", "RA-2", "X"}))
    batch = bulk_actions("c", entries, {query_id: found})
    assert batch.actions[0]["_source"]["query"] == "kabel"
    assert batch.actions[-1]["_index"] == found.index
    assert batch.actions[-1]["doc"] == {"query_id": query_id, "clicked": True}


def _merged_nothing(batch: BatchActions) -> None:
    assert [a["_op_type"] for a in batch.actions] == ["index", "index"]  # counted, no mark
    assert all("query" not in a["_source"] for a in batch.actions)


def test_a_click_whose_search_is_unknown_is_counted_and_merged_with_nothing() -> None:
    query_id = new_query_id(AT_MS)
    for entries in (
        [(b"5-0", _fields(_click(query_id)))],  # the look-up found no such search
        [(b"7-0", _fields(_click("0" * 32)))],  # decodes to 1970: never one of ours
    ):
        batch = bulk_actions("c", entries, {})
        _merged_nothing(batch)
        assert batch.unmerged == {"unknown_query": 1}
        assert {a["_source"]["unmerged"] for a in batch.actions} == {"unknown_query"}
    assert searches_to_look_up("c", [(b"7-0", _fields(_click("0" * 32)))]) == {}


def test_a_click_on_an_object_its_search_did_not_answer_is_merged_with_nothing() -> None:
    query_id = new_query_id(AT_MS)
    search = _search(query_id, hits=("RA-1", "RA-3"))  # RA-2 was not among them
    for kind in ("click", "conversion"):
        click = _click(query_id, kind=kind, positions=() if kind == "conversion" else (3, 7))
        batch = bulk_actions("c", [(b"1-0", _fields(search)), (b"2-0", _fields(click))])
        assert batch.unmerged == {"not_in_hits": 1}
        assert [a["_op_type"] for a in batch.actions] == ["update", "index", "index"]
        assert "clicked" not in batch.actions[0]["doc"]
        assert {a["_source"]["unmerged"] for a in batch.actions[1:]} == {"not_in_hits"}
    # a view or a click without a queryID names no search: nothing to merge, nothing refused
    free = _click(None, kind="view", positions=())
    assert bulk_actions("c", [(b"3-0", _fields(free))]).unmerged == {}


def test_a_search_answered_with_a_foreign_id_stays_in_its_own_day() -> None:
    foreign = "0" * 32
    search = SearchEvent.of("algolia", "x", None, [], 1, at=AT, query_id=foreign)
    (action,) = bulk_actions("c", [(b"8-0", _fields(search))]).actions
    assert (action["_index"], action["_id"]) == ("c-search-events-2025.03.09", foreign)


def test_both_event_families_expire() -> None:
    assert index_day("c", "c-insights-events-2025.03.01") == datetime(2025, 3, 1, tzinfo=UTC)
    names = ["c-insights-events-2025.03.01", "c-search-events-2025.03.01", "c-insights-events-x"]
    now = datetime(2025, 3, 9, 12, tzinfo=UTC)
    assert expired_indices("c", names, now, days=7) == names[:2]


def _tracking(tracked: int, clicked: int, converted: int) -> dict[str, Any]:
    return {
        "tracked": {
            "doc_count": tracked,
            "clicked": {"doc_count": clicked},
            "converted": {"doc_count": converted},
        }
    }


def test_rates_and_positions_come_from_the_aggregations() -> None:
    assert rate(1, 4) == 0.25
    assert rate(0, 0) is None
    assert {"term": {"query": "hülle"}} in rates_body(AT, query=" HÜLLE ")["query"]["bool"][
        "filter"
    ]
    merged = positions_body(AT, query="Hülle")["aggs"]["merged"]
    assert merged["aggs"]["clicks"]["filter"] == {"term": {"event_type": "click"}}
    assert merged["filter"]["bool"]["filter"] == [{"term": {"query": "hülle"}}]
    assert merged["filter"]["bool"]["must_not"] == [{"exists": {"field": "unmerged"}}]
    rates = {"aggregations": _tracking(8, 2, 1)}
    positions = {
        "aggregations": {
            "merged": {
                "clicks": {
                    "doc_count": 5,
                    "first": {
                        "doc_count": 4,
                        "positions": {
                            "buckets": [{"key": 1.0, "doc_count": 3}, {"key": 4.0, "doc_count": 1}]
                        },
                    },
                    "average": {"value": 6.2},
                },
                "conversions": {"doc_count": 2},
            },
            "unmerged": {"buckets": [{"key": "not_in_hits", "doc_count": 4}]},
        }
    }
    answer = click_analytics(AT, " Hülle", rates, positions)
    assert answer.query == "hülle"
    assert (answer.tracked_searches, answer.clicked_searches, answer.converted_searches) == (
        8,
        2,
        1,
    )
    assert (answer.click_through_rate, answer.conversion_rate) == (0.25, 0.125)
    assert [p.position for p in answer.click_positions] == list(range(1, 21))
    assert [p.clicks for p in answer.click_positions][:5] == [3, 0, 0, 1, 0]
    assert (answer.clicks, answer.clicks_beyond_20, answer.conversions) == (5, 1, 2)
    assert answer.average_click_position == 6.2
    assert (answer.unmerged.not_in_hits, answer.unmerged.unknown_query) == (4, 0)
    empty = click_analytics(AT, "", {}, {})
    assert (empty.query, empty.click_through_rate, empty.average_click_position) == (
        None,
        None,
        None,
    )


def test_top_queries_carry_their_rates() -> None:
    bucket = {
        "key": "hülle",
        "doc_count": 10,
        "no_results": {"doc_count": 0},
        "avg_hits": {"value": 3.0},
        "last": {"value": AT_MS},
        **_tracking(4, 3, 0),
    }
    total, (stats,) = query_stats(
        {"hits": {"total": {"value": 10}}, "aggregations": {"queries": {"buckets": [bucket]}}}
    )
    assert total == 10
    assert (stats.tracked_searches, stats.click_through_rate, stats.conversion_rate) == (
        4,
        0.75,
        0.0,
    )
