"""Click and conversion analytics as aggregations, and their answers (pure).

Two sources: the searches answered with a queryID (search-event indices, with
the `clicked`/`converted` marks the roll-up sets), for the rates; and the
clicks themselves (Insights indices, one document per clicked object), for
the positions.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from analytics.events import normalise_query
from analytics.insights_events import UNMERGED_REASONS
from analytics.search_schemas import ClickAnalytics, PositionClicks, UnmergedEvents

Clause = dict[str, Any]
MAX_POSITION = 20  # positions counted one by one; later ones are summed up
TRACKED = {"exists": {"field": "query_id"}}
UNMERGED = {"exists": {"field": "unmerged"}}


def rate(part: int, whole: int) -> float | None:
    """`part / whole`; None when there is nothing to divide by."""
    return part / whole if whole else None


def tracking_aggs() -> Clause:
    """Sub-aggregations counting searches with a queryID, and those clicked or converted."""
    return {
        "tracked": {
            "filter": TRACKED,
            "aggs": {
                "clicked": {"filter": {"term": {"clicked": True}}},
                "converted": {"filter": {"term": {"converted": True}}},
            },
        }
    }


def tracked_counts(aggs: Mapping[str, Any]) -> tuple[int, int, int]:
    """Searches with a queryID, those with ≥1 click, those with ≥1 conversion."""
    tracked = aggs.get("tracked", {})
    return (
        int(tracked.get("doc_count", 0)),
        int(tracked.get("clicked", {}).get("doc_count", 0)),
        int(tracked.get("converted", {}).get("doc_count", 0)),
    )


def _since(since: datetime, query: str) -> list[Clause]:
    clauses: list[Clause] = [{"range": {"at": {"gte": since.astimezone(UTC).isoformat()}}}]
    if query:
        clauses.append({"term": {"query": normalise_query(query)}})
    return clauses


def rates_body(since: datetime, *, query: str = "") -> Clause:
    """Searches since `since` (optionally of one query) and how many were clicked or converted."""
    return {
        "size": 0,
        "query": {"bool": {"filter": _since(since, query)}},
        "aggs": tracking_aggs(),
    }


def positions_body(since: datetime, *, query: str = "") -> Clause:
    """Clicks after a search since `since`: per position 1..20, beyond, the average; conversions.

    Only events merged with their search count there; the others are counted by
    reason, whatever the query (they have none).
    """
    clicks = {"term": {"event_type": "click"}}
    per_position = {
        "histogram": {
            "field": "position",
            "interval": 1,
            "min_doc_count": 0,
            "extended_bounds": {"min": 1, "max": MAX_POSITION},
        }
    }
    merged: Clause = {"bool": {"must_not": [UNMERGED]}}
    if query:
        merged["bool"]["filter"] = [{"term": {"query": normalise_query(query)}}]
    return {
        "size": 0,
        "query": {"bool": {"filter": [*_since(since, ""), TRACKED]}},
        "aggs": {
            "merged": {
                "filter": merged,
                "aggs": {
                    "clicks": {
                        "filter": clicks,
                        "aggs": {
                            "first": {
                                "filter": {"range": {"position": {"gte": 1, "lte": MAX_POSITION}}},
                                "aggs": {"positions": per_position},
                            },
                            "average": {"avg": {"field": "position"}},
                        },
                    },
                    "conversions": {"filter": {"term": {"event_type": "conversion"}}},
                },
            },
            "unmerged": {"terms": {"field": "unmerged", "size": len(UNMERGED_REASONS)}},
        },
    }


def click_analytics(
    since: datetime, query: str, rates: Mapping[str, Any], positions: Mapping[str, Any]
) -> ClickAnalytics:
    """The answer of the two aggregations above."""
    tracked, clicked, converted = tracked_counts(rates.get("aggregations", {}))
    all_aggs = positions.get("aggregations", {})
    aggs = all_aggs.get("merged", {})
    clicks = aggs.get("clicks", {})
    unmerged = {
        b["key"]: int(b["doc_count"]) for b in all_aggs.get("unmerged", {}).get("buckets", [])
    }
    first = clicks.get("first", {})
    counted = {
        int(b["key"]): int(b["doc_count"]) for b in first.get("positions", {}).get("buckets", [])
    }
    total_clicks = int(clicks.get("doc_count", 0))
    return ClickAnalytics(
        since=since,
        query=normalise_query(query) or None,
        tracked_searches=tracked,
        clicked_searches=clicked,
        click_through_rate=rate(clicked, tracked),
        converted_searches=converted,
        conversion_rate=rate(converted, tracked),
        clicks=total_clicks,
        click_positions=[
            PositionClicks(position=p, clicks=counted.get(p, 0)) for p in range(1, MAX_POSITION + 1)
        ],
        clicks_beyond_20=total_clicks - int(first.get("doc_count", 0)),
        average_click_position=clicks.get("average", {}).get("value"),
        conversions=int(aggs.get("conversions", {}).get("doc_count", 0)),
        unmerged=UnmergedEvents(**{reason: unmerged.get(reason, 0) for reason in UNMERGED_REASONS}),
    )
