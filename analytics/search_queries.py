"""Search analytics as aggregations over the search-event indices, and their answers (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from analytics.click_queries import rate, tracked_counts, tracking_aggs
from analytics.events import TEXT_SEARCH_KINDS, normalise_query
from analytics.search_schemas import QueryStats, VolumeBucket

Clause = dict[str, Any]
MAX_QUERIES = 1000
MAX_VOLUME_BUCKETS = 1000
MAX_PERIOD = timedelta(days=3650)
_DURATION = re.compile(r"^([1-9][0-9]{0,5})([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: str) -> timedelta:
    """`30s`, `15m`, `1h`, `7d` as a timedelta; ValueError otherwise."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError("a duration is a whole number and a unit: 30s, 15m, 1h, 7d")
    duration = timedelta(**{_UNITS[match[2]]: int(match[1])})
    if duration > MAX_PERIOD:
        raise ValueError("at most 3650 days")
    return duration


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


def events_query(
    since: datetime, *, queries_only: bool, prefix: str = "", query: str = ""
) -> Clause:
    """Events since `since`; optionally only searches with words, starting with or equal to text."""
    clauses: list[Clause] = [{"range": {"at": {"gte": _iso(since)}}}]
    must_not: list[Clause] = []
    if queries_only:
        clauses.append({"terms": {"kind": list(TEXT_SEARCH_KINDS)}})
        must_not.append({"term": {"query": ""}})
    if prefix and normalise_query(prefix):
        clauses.append({"prefix": {"query": normalise_query(prefix)}})
    if query:
        clauses.append({"term": {"query": normalise_query(query)}})
    return {"bool": {"filter": clauses, "must_not": must_not}}


def top_queries_body(
    since: datetime, limit: int, *, prefix: str = "", no_results_only: bool = False
) -> Clause:
    """The `limit` most searched queries (optionally only those that found nothing)."""
    query = events_query(since, queries_only=True, prefix=prefix)
    if no_results_only:
        query["bool"]["filter"].append({"term": {"no_results": True}})
    per_query = {
        "no_results": {"filter": {"term": {"no_results": True}}},
        "avg_hits": {"avg": {"field": "total"}},
        "last": {"max": {"field": "at"}},
        **tracking_aggs(),
    }
    # daily indices are shards of their own: ask each for more than the top `limit`
    terms = {"field": "query", "size": limit, "shard_size": max(limit * 5, 100)}
    return {
        "size": 0,
        "track_total_hits": True,
        "query": query,
        "aggs": {"queries": {"terms": terms, "aggs": per_query}},
    }


def _millis(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def _at(millis: float | None) -> datetime | None:
    return None if millis is None else datetime.fromtimestamp(millis / 1000, UTC)


def query_stats(response: Mapping[str, Any]) -> tuple[int, list[QueryStats]]:
    """Matching searches and the per-query stats of a top-queries answer."""
    total = int(response.get("hits", {}).get("total", {}).get("value", 0))
    buckets = response.get("aggregations", {}).get("queries", {}).get("buckets", [])
    return total, [_query_stats(b) for b in buckets]


def _query_stats(bucket: Mapping[str, Any]) -> QueryStats:
    tracked, clicked, converted = tracked_counts(bucket)
    return QueryStats(
        query=bucket["key"],
        searches=bucket["doc_count"],
        no_results=bucket["no_results"]["doc_count"],
        avg_hits=bucket["avg_hits"]["value"],
        last_searched_at=_at(bucket["last"]["value"]),
        tracked_searches=tracked,
        clicked_searches=clicked,
        click_through_rate=rate(clicked, tracked),
        converted_searches=converted,
        conversion_rate=rate(converted, tracked),
    )


def volume_bucket_count(period: timedelta, interval: timedelta) -> int:
    """How many intervals a period spans (the partial ones at both ends included)."""
    return int(period / interval) + 2


def volume_body(
    since: datetime, until: datetime, interval: str, *, query: str = "", kind: str | None = None
) -> Clause:
    """Searches per fixed interval from `since` to `until`, empty intervals included."""
    clause = events_query(since, queries_only=False, query=query)
    if kind is not None:
        clause["bool"]["filter"].append({"term": {"kind": kind}})
    histogram = {
        "field": "at",
        "fixed_interval": interval,
        "min_doc_count": 0,
        "extended_bounds": {"min": _millis(since), "max": _millis(until)},
    }
    return {
        "size": 0,
        "track_total_hits": True,
        "query": clause,
        "aggs": {
            "volume": {
                "date_histogram": histogram,
                "aggs": {"no_results": {"filter": {"term": {"no_results": True}}}},
            },
            "no_results": {"filter": {"term": {"no_results": True}}},
        },
    }


def volume(response: Mapping[str, Any]) -> tuple[int, int, list[VolumeBucket]]:
    """Searches, searches without results, and the buckets of a volume answer."""
    aggs = response.get("aggregations", {})
    total = int(response.get("hits", {}).get("total", {}).get("value", 0))
    empty = int(aggs.get("no_results", {}).get("doc_count", 0))
    buckets = [
        VolumeBucket(
            at=datetime.fromtimestamp(b["key"] / 1000, UTC),
            searches=b["doc_count"],
            no_results=b["no_results"]["doc_count"],
        )
        for b in aggs.get("volume", {}).get("buckets", [])
    ]
    return total, empty, buckets
