"""Click analytics over HTTP: `POST /1/events` validation, and searches with a queryID
whose clicks and conversions add up to the rates and positions the analytics report.

Searches are logged through a search log on the stack's Redis (as the search
routes do), clicks and conversions are sent to the running read API, and the
roll-up runs here as the workers would run it. Every query carries a fresh
token, so other events in the stack do not disturb the numbers.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from elasticsearch.helpers import async_bulk

from analytics.events import INSIGHTS, STREAM_KEY, events_pattern
from analytics.query_ids import new_query_id
from analytics.rollup import roll_up
from analytics.rollup_actions import bulk_actions
from analytics.search_log import SearchLog
from catalog.clients import Clients
from catalog.settings import Settings
from read_api.analytics.search_logging import log_search
from read_api.query.model import SearchQuery
from tests.e2e.conftest import Keys, api_url
from tests.schema_fuzzing import fuzz_failures, report
from tests.stack import wait_for

ROLLUP_DEADLINE_S = 60.0
OK = {"status": 200, "message": "OK"}


@pytest.fixture(scope="module")
def insights(settings: Settings, keys: Keys) -> Iterator[httpx.Client]:
    """The running read API, as an Algolia Insights client talks to it (with a search key)."""
    headers = {"X-Algolia-Application-Id": "catalog", "X-Algolia-API-Key": keys.search}
    with httpx.Client(base_url=api_url(settings, "read_api"), timeout=60, headers=headers) as c:
        yield c


def _event(**changes: Any) -> dict[str, Any]:
    base = {
        "eventType": "click",
        "eventName": "Product Clicked",
        "index": "products",
        "userToken": "user-1",
        "objectIDs": ["RA-00001", "RA-00002"],
        "positions": [1, 2],
        "queryID": new_query_id(),
    }
    return {key: value for key, value in (base | changes).items() if value is not None}


def _push(client: httpx.Client, *events: dict[str, Any]) -> httpx.Response:
    return client.post("/1/events", json={"events": list(events)})


def test_a_valid_batch_is_accepted(insights: httpx.Client, keys: Keys) -> None:
    now_ms = time.time_ns() // 1_000_000
    batch = [
        _event(timestamp=now_ms - 60_000),
        _event(eventType="conversion", positions=None, eventSubtype="addToCart"),
        _event(eventType="view", queryID=None, positions=None),
        _event(eventType="click", queryID=None, positions=None, filters=None),
        _event(objectIDs=None, positions=None, queryID=None, filters=["brand:Acme"]),
        _event(userToken=None, authenticatedUserToken="account-42"),
    ]
    response = _push(insights, *batch)
    assert (response.status_code, response.json()) == (200, OK)
    # search-insights sends with navigator.sendBeacon: text/plain, keys in the query string
    beacon = insights.post(
        "/1/events",
        content=orjson.dumps({"events": batch[:1]}),
        headers={"Content-Type": "text/plain;charset=UTF-8"},
        params={"X-Algolia-Application-Id": "catalog", "X-Algolia-API-Key": keys.search},
    )
    assert (beacon.status_code, beacon.json()) == (200, OK)
    full = _push(insights, *[_event() for _ in range(1000)])
    assert (full.status_code, full.json()) == (200, OK)


INVALID: list[tuple[dict[str, Any], str]] = [
    (_event(eventType="tap"), "events[1].eventType:"),
    (_event(eventName=""), "events[1].eventName:"),
    (_event(eventName="Klick auf Hülle"), "events[1].eventName:"),  # ASCII only
    (_event(index=None), "events[1].index:"),
    (_event(userToken=None), "events[1].userToken:"),
    (_event(userToken="user 1"), "events[1].userToken:"),
    (_event(queryID="3E48CD0616E466948DD85ABF5C3FBBE2"), "events[1].queryID:"),
    (_event(eventType="view"), "events[1].queryID:"),
    (_event(positions=[1]), "events[1].positions:"),
    (_event(positions=None), "events[1].positions:"),
    (_event(positions=[0, 1]), "events[1].positions[0]:"),
    (_event(positions=["1", "2"]), "events[1].positions[0]:"),
    (_event(eventType="conversion"), "events[1].positions:"),
    (_event(objectIDs=[f"RA-{n}" for n in range(21)], positions=None), "events[1].objectIDs:"),
    (_event(objectIDs=None, positions=None, queryID=None), "events[1].filters:"),
    (_event(filters=["brand:Acme"]), "events[1].filters:"),
    (_event(queryID=None, positions=None, objectIDs=None, filters=["Acme"]), "events[1].filters"),
    (_event(timestamp=1_600_000_000_000), "events[1].timestamp:"),
    (_event(eventSubtype="purchase"), "events[1].eventSubtype:"),
    (_event(objectIDsAfterSearch=["x"]), "events[1].objectIDsAfterSearch:"),
]


@pytest.mark.parametrize(("event", "path"), INVALID, ids=[path for _, path in INVALID])
def test_an_invalid_event_refuses_the_batch_with_its_field_path(
    insights: httpx.Client, event: dict[str, Any], path: str
) -> None:
    response = _push(insights, _event(), event)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["status"] == 422
    assert answer["message"].startswith(path)


def test_bodies_that_are_not_batches_are_4xx(insights: httpx.Client) -> None:
    too_many = _push(insights, *[_event() for _ in range(1001)])
    assert too_many.status_code == 422
    assert too_many.json()["message"].startswith("events:")
    for body, status in ((b"{", 400), (b"[]", 400), (b'{"events": []}', 422), (b"{}", 422)):
        response = insights.post("/1/events", content=body)
        assert response.status_code == status, body
        assert response.json()["status"] == status
    huge = insights.post("/1/events", content=b" " * (2 * 1024 * 1024 + 1))
    assert (huge.status_code, huge.json()["status"]) == (413, 413)


def test_the_events_operation_answers_as_its_schema_says(settings: Settings) -> None:
    failures = fuzz_failures(api_url(settings, "read_api"), path_prefix="/1/events")
    assert not failures, report(failures)


# what every logged search answered: the objects its clicks and conversions may name
ANSWERED = [f"RA-{n:05d}" for n in range(1, 31)]


def _log_searches(settings: Settings, searches: list[tuple[str, str | None]]) -> None:
    """Log (query, queryID) searches, each answering `ANSWERED`, on the stack's Redis."""

    async def run() -> None:
        clients = Clients.from_settings(settings)
        log = SearchLog(clients.redis, capacity=1000, stream_maxlen=100_000)
        log.start()
        try:
            for query, query_id in searches:
                query_model = SearchQuery(text=query)
                log_search(log, "algolia", query_model, 30, query_id=query_id, hits=ANSWERED)
        finally:
            await log.stop()  # sends what is queued
            await clients.close()

    asyncio.run(run())


def _roll_up(settings: Settings) -> None:
    """One roll-up run over the stack's stream, as the workers' task does it."""

    async def run() -> None:
        clients = Clients.from_settings(settings)
        prefix = settings.es_index_prefix
        try:
            await roll_up(clients.redis, clients.es, prefix, replicas=settings.es_replicas)
            patterns = f"{events_pattern(prefix)},{events_pattern(prefix, INSIGHTS)}"
            await clients.es.indices.refresh(index=patterns)
        finally:
            await clients.close()

    asyncio.run(run())


def _clicks_on(settings: Settings, query_ids: list[str]) -> int:
    """Rolls up, then counts the Insights documents naming one of the queryIDs."""

    async def run() -> int:
        clients = Clients.from_settings(settings)
        try:
            query = {"terms": {"query_id": query_ids}}
            pattern = events_pattern(settings.es_index_prefix, INSIGHTS)
            answer = await clients.es.count(index=pattern, body={"query": query})
            return int(answer["count"])
        finally:
            await clients.close()

    _roll_up(settings)
    return asyncio.run(run())


def _unmerged_on(settings: Settings, query_ids: list[str]) -> dict[str, int]:
    """Reason → Insights documents naming one of the queryIDs that were not merged."""

    async def run() -> dict[str, int]:
        clients = Clients.from_settings(settings)
        try:
            pattern = events_pattern(settings.es_index_prefix, INSIGHTS)
            answer = await clients.es.search(
                index=pattern,
                size=0,
                query={"terms": {"query_id": query_ids}},
                aggs={"why": {"terms": {"field": "unmerged"}}},
            )
            return {b["key"]: b["doc_count"] for b in answer["aggregations"]["why"]["buckets"]}
        finally:
            await clients.close()

    return asyncio.run(run())


def _rewrite(settings: Settings, query_ids: set[str]) -> int:
    """Writes the stream's entries naming the queryIDs once more, as a repeated run would."""

    async def run() -> int:
        clients = Clients.from_settings(settings)
        prefix = settings.es_index_prefix
        try:
            recent: Any = await clients.redis.xrevrange(STREAM_KEY, count=5000)
            ours = [(i, f) for i, f in recent if f.get(b"qid", b"").decode() in query_ids]
            actions = bulk_actions(prefix, reversed(ours)).actions
            await async_bulk(clients.es, actions, refresh=True)
            return len(ours)
        finally:
            await clients.close()

    return asyncio.run(run())


def _clicks(client: httpx.Client, query: str) -> dict[str, Any]:
    response = client.get("/v1/analytics/searches/clicks", params={"period": "1h", "q": query})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _positions(answer: dict[str, Any]) -> dict[int, int]:
    return {p["position"]: p["clicks"] for p in answer["click_positions"] if p["clicks"]}


def test_clicks_and_conversions_add_up_to_the_rates_and_positions(
    insights: httpx.Client, analyst: httpx.Client, settings: Settings
) -> None:
    token = f"zqc{uuid.uuid4().hex[:12]}"
    case, cable = f"{token} hülle", f"{token} kabel"
    s1, s2, s3, s4, s5, s6 = (new_query_id() for _ in range(6))

    def click(query_id: str, *objects_at: tuple[str, int]) -> dict[str, Any]:
        objects, positions = zip(*objects_at, strict=True)
        return _event(queryID=query_id, objectIDs=list(objects), positions=list(positions))

    def bought(query_id: str, object_id: str) -> dict[str, Any]:
        return _event(
            eventType="conversion", queryID=query_id, objectIDs=[object_id], positions=None
        )

    # a click that reaches the roll-up before any search of its queryID: counted, not merged
    assert _push(insights, click(s4, ("RA-00004", 4))).status_code == 200
    wait_for(lambda: _clicks_on(settings, [s4]) == 1, ROLLUP_DEADLINE_S, "the early click")
    assert _unmerged_on(settings, [s4]) == {"unknown_query": 1}
    before = _clicks(analyst, case)["unmerged"]
    made_up = new_query_id()
    _log_searches(
        settings,
        [(case, s1), (case, s2), (case, s3), (case, s4), (case, None), (cable, s5), (cable, s6)],
    )
    events = [
        click(s1, ("RA-00001", 1)),
        click(s1, ("RA-00003", 3)),  # a second click on one search: clicked once
        click(s2, ("RA-00002", 2), ("RA-00005", 5)),
        bought(s2, "RA-00005"),
        bought(s3, "RA-00009"),  # bought without a click (e.g. from the cart)
        click(s5, ("RA-00025", 25)),
        click(s6, ("RA-00099", 2)),  # not among s6's hits: counted, not merged
        click(made_up, ("RA-00001", 1)),  # a queryID no search had: counted, not merged
        _event(eventType="view", queryID=None, positions=None),  # views count nowhere here
        _event(queryID=None, positions=None),  # a click outside search: no rate, no position
    ]
    response = _push(insights, *events)
    assert (response.status_code, response.json()) == (200, OK)
    # 1 + 1 + 2 clicks, 2 conversions, 1 + 1 + 1 clicks: one document per object
    wait_for(
        lambda: _clicks_on(settings, [s1, s2, s3, s5, s6, made_up]) == 9,
        ROLLUP_DEADLINE_S,
        "the clicks reaching the analytics indices",
    )
    assert _unmerged_on(settings, [s1, s2, s3, s5]) == {}
    assert _unmerged_on(settings, [s6, made_up]) == {"not_in_hits": 1, "unknown_query": 1}

    on_case = _clicks(analyst, case)
    # four searches answered with a queryID (the fifth had none); s1, s2 clicked (the early
    # click on s4 was not merged); s2, s3 bought
    assert (on_case["tracked_searches"], on_case["clicked_searches"]) == (4, 2)
    assert on_case["click_through_rate"] == 0.5
    assert (on_case["converted_searches"], on_case["conversion_rate"]) == (2, 0.5)
    # counted whatever the query: the two refused clicks of this batch
    assert on_case["unmerged"] == {
        "unknown_query": before["unknown_query"] + 1,
        "not_in_hits": before["not_in_hits"] + 1,
    }
    # positions per query count the clicks merged with their search: not the early one
    assert _positions(on_case) == {1: 1, 2: 1, 3: 1, 5: 1}
    assert on_case["clicks"] == 4
    assert on_case["average_click_position"] == (1 + 3 + 2 + 5) / 4
    assert (on_case["clicks_beyond_20"], on_case["conversions"]) == (0, 2)

    on_cable = _clicks(analyst, cable)
    assert (on_cable["tracked_searches"], on_cable["clicked_searches"]) == (2, 1)
    assert (on_cable["click_through_rate"], on_cable["conversion_rate"]) == (0.5, 0.0)
    assert (_positions(on_cable), on_cable["clicks_beyond_20"]) == ({}, 1)
    assert on_cable["average_click_position"] == 25

    top = analyst.get("/v1/analytics/searches/top", params={"period": "1h", "prefix": token})
    assert top.status_code == 200, top.text
    per_query = {q["query"]: q for q in top.json()["queries"]}
    assert set(per_query) == {case, cable}
    assert per_query[case]["searches"] == 5
    assert (per_query[case]["tracked_searches"], per_query[case]["click_through_rate"]) == (4, 0.5)
    assert per_query[case]["conversion_rate"] == 0.5
    assert (per_query[cable]["clicked_searches"], per_query[cable]["converted_searches"]) == (1, 0)

    # a roll-up that wrote these entries and died before acknowledging them writes them
    # again: nothing counts twice
    assert _rewrite(settings, {s1, s2, s3, s5, s6}) == 5 + 7  # searches, insights
    again = _clicks(analyst, case)
    assert again == {**on_case, "since": again["since"]}
    assert _clicks(analyst, cable)["click_through_rate"] == 0.5


def _search_doc(settings: Settings, query_id: str) -> dict[str, Any]:
    """Rolls up, then the search-event document of a queryID (from its daily index)."""

    async def run() -> dict[str, Any]:
        clients = Clients.from_settings(settings)
        try:
            answer = await clients.es.search(
                index=events_pattern(settings.es_index_prefix),
                query={"ids": {"values": [query_id]}},
            )
            hits = answer["hits"]["hits"]
            return dict(hits[0]["_source"]) if hits else {}
        finally:
            await clients.close()

    _roll_up(settings)
    return asyncio.run(run())


def test_a_search_keeps_its_hits_and_only_clicks_on_them_are_merged(
    read_api: httpx.Client, insights: httpx.Client, settings: Settings
) -> None:
    response = insights.post(
        "/1/indexes/products/query",
        json={"params": "query=h%C3%BClle&hitsPerPage=5&clickAnalytics=true"},
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    query_id, answered = answer["queryID"], [hit["objectID"] for hit in answer["hits"]]
    assert answered
    absent = next(p for p in ("RA-absent-1", "RA-absent-2") if p not in answered)
    wait_for(lambda: _search_doc(settings, query_id) != {}, ROLLUP_DEADLINE_S, "the search")
    assert _search_doc(settings, query_id)["hits"] == answered

    outside = _event(queryID=query_id, objectIDs=[absent], positions=[1])
    assert _push(insights, outside).status_code == 200
    wait_for(lambda: _clicks_on(settings, [query_id]) == 1, ROLLUP_DEADLINE_S, "the click")
    assert _unmerged_on(settings, [query_id]) == {"not_in_hits": 1}
    assert "clicked" not in _search_doc(settings, query_id)

    on_a_hit = _event(queryID=query_id, objectIDs=[answered[-1]], positions=[len(answered)])
    assert _push(insights, on_a_hit).status_code == 200
    wait_for(lambda: _clicks_on(settings, [query_id]) == 2, ROLLUP_DEADLINE_S, "the click")
    assert _unmerged_on(settings, [query_id]) == {"not_in_hits": 1}
    assert _search_doc(settings, query_id)["clicked"] is True
