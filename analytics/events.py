"""Search events: what one search logs, in the stream and in Elasticsearch (pure).

The read API appends events to a Redis stream; the workers' roll-up copies them
into daily indices `<prefix>-search-events-YYYY.MM.DD`, with the stream entry id
as the document id (the queryID for a search that answered with one), so
copying an entry twice never counts it twice. The indices sit beside the
products alias, never behind it. Clicks, conversions and views share the
stream and go to the sibling family `<prefix>-insights-events-*`
(`insights_events.py`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import orjson

STREAM_KEY = "catalog:analytics:searches"  # clicks, conversions and views too
CONSUMER_GROUP = "rollup"
SearchKind = Literal["search", "listing", "algolia"]
SEARCH_KINDS: tuple[SearchKind, ...] = ("search", "listing", "algolia")
TEXT_SEARCH_KINDS: tuple[SearchKind, ...] = ("search", "algolia")  # searches with words
_SPACES = re.compile(r"\s+")
_DAY_FORMAT = "%Y.%m.%d"
# the daily index families: searches, and the Insights events (clicks, conversions, views)
EventFamily = Literal["search-events", "insights-events"]
SEARCHES: EventFamily = "search-events"
INSIGHTS: EventFamily = "insights-events"
EVENT_FAMILIES: tuple[EventFamily, ...] = (SEARCHES, INSIGHTS)


def normalise_query(text: str) -> str:
    """The form queries are counted under: NFC, lower case, single spaces, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().lower()


@dataclass(frozen=True, slots=True)
class SearchEvent:
    """One search as analytics sees it."""

    at: datetime
    kind: SearchKind
    query: str
    category: str | None
    filters: tuple[str, ...]
    total: int
    query_id: str | None = None  # set when the search answered with a queryID
    # the objectIDs it answered, kept with a queryID: its clicks must name one of them
    hits: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        kind: SearchKind,
        text: str,
        category: str | None,
        filters: Iterable[str],
        total: int,
        at: datetime | None = None,
        *,
        query_id: str | None = None,
        hits: Iterable[str] = (),
    ) -> SearchEvent:
        """The event of a search that found `total` products.

        `filters`: each in the `filter` parameter's syntax (`brand:Spigen`), as the
        read API describes them; the event keeps them sorted.
        """
        return cls(
            at=at or datetime.now(UTC),
            kind=kind,
            query=normalise_query(text),
            category=category,
            filters=tuple(sorted(filters)),
            total=total,
            query_id=query_id,
            hits=tuple(hits) if query_id is not None else (),
        )

    def stream_fields(self) -> dict[str, bytes]:
        """The fields of its stream entry."""
        fields = {
            "at": str(int(self.at.timestamp() * 1000)).encode(),
            "kind": self.kind.encode(),
            "q": self.query.encode(),
            "category": (self.category or "").encode(),
            "filters": orjson.dumps(list(self.filters)),
            "total": str(self.total).encode(),
        }
        if self.query_id is not None:
            fields["qid"] = self.query_id.encode()
            fields["hits"] = orjson.dumps(list(self.hits))
        return fields


def event_from_stream(fields: Mapping[bytes, bytes]) -> SearchEvent | None:
    """The event of a stream entry; None for an entry that is not one (or was trimmed)."""
    try:
        kind = next((k for k in SEARCH_KINDS if k == fields[b"kind"].decode()), None)
        if kind is None:
            return None
        filters = orjson.loads(fields[b"filters"])
        query_id = fields.get(b"qid")
        hits = orjson.loads(fields[b"hits"]) if b"hits" in fields else []
        return SearchEvent(
            at=datetime.fromtimestamp(int(fields[b"at"]) / 1000, UTC),
            kind=kind,
            query=fields[b"q"].decode(),
            category=fields[b"category"].decode() or None,
            filters=tuple(str(f) for f in filters),
            total=int(fields[b"total"]),
            query_id=query_id.decode() if query_id is not None else None,
            hits=tuple(str(h) for h in hits),
        )
    except (KeyError, ValueError, TypeError, orjson.JSONDecodeError):
        return None


def events_pattern(prefix: str, family: EventFamily = SEARCHES) -> str:
    """Every daily index of one family (never part of the products alias)."""
    return f"{prefix}-{family}-*"


def events_index(prefix: str, at: datetime, family: EventFamily = SEARCHES) -> str:
    """The daily index of one family holding events of `at`'s UTC day."""
    return f"{prefix}-{family}-{at.astimezone(UTC).strftime(_DAY_FORMAT)}"


def index_family(prefix: str, index: str) -> EventFamily | None:
    """The family of a daily event index's name, or None for another name."""
    return next((f for f in EVENT_FAMILIES if index.startswith(f"{prefix}-{f}-")), None)


def index_day(prefix: str, index: str) -> datetime | None:
    """The UTC day of a daily event index's name (either family), or None for another name."""
    family = index_family(prefix, index)
    if family is None:
        return None
    try:
        day = index[len(f"{prefix}-{family}-") :]
        return datetime.strptime(day, _DAY_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def event_document(event: SearchEvent) -> dict[str, Any]:
    """The Elasticsearch source of an event."""
    doc: dict[str, Any] = {
        "at": event.at.isoformat(),
        "kind": event.kind,
        "query": event.query,
        "filters": list(event.filters),
        "total": event.total,
        "no_results": event.total == 0,
    }
    if event.category is not None:
        doc["category"] = event.category
    if event.query_id is not None:
        doc["query_id"] = event.query_id
        doc["hits"] = list(event.hits)
    return doc


# a search answered with a queryID, the objectIDs it answered (kept, not searched), and
# whether a click or a conversion named it since; added to the mapping of indices made
# before these fields existed (put mapping)
TRACKING_PROPERTIES: dict[str, Any] = {
    "query_id": {"type": "keyword"},
    "hits": {"type": "keyword", "index": False, "doc_values": False},
    "clicked": {"type": "boolean"},
    "converted": {"type": "boolean"},
}


def events_index_body(replicas: int) -> dict[str, Any]:
    """Settings and strict mapping of a daily event index."""
    keyword = {"type": "keyword"}
    return {
        "settings": {"index": {"number_of_shards": 1, "number_of_replicas": replicas}},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "at": {"type": "date"},
                "kind": keyword,
                "query": {"type": "keyword", "ignore_above": 512},
                "category": keyword,
                "filters": keyword,
                "total": {"type": "long"},
                "no_results": {"type": "boolean"},
                **TRACKING_PROPERTIES,
            },
        },
    }
