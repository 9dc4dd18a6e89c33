"""Search events: what one search logs, in the stream and in Elasticsearch (pure).

The read API appends events to a Redis stream; the workers' roll-up copies them
into daily indices `<prefix>-search-events-YYYY.MM.DD`, with the stream entry id
as the document id, so copying an entry twice never counts it twice. The
indices sit beside the products alias, never behind it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import orjson

from read_api.query.filters import format_number
from read_api.query.model import Filter, RangeFilter

STREAM_KEY = "catalog:analytics:searches"
CONSUMER_GROUP = "rollup"
SearchKind = Literal["search", "listing"]
_SPACES = re.compile(r"\s+")
_DAY_FORMAT = "%Y.%m.%d"


def normalise_query(text: str) -> str:
    """The form queries are counted under: NFC, lower case, single spaces, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().lower()


def _value(value: str | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return format_number(value) if isinstance(value, float) else value


def _bound(value: float | str | None) -> str:
    if value is None:
        return ""
    return format_number(value) if isinstance(value, float) else value


def describe_filter(item: Filter) -> str:
    """A filter in the `filter` parameter's syntax: `brand:Spigen`, `-price:[10,25)`."""
    sign = "-" if item.exclude else ""
    if isinstance(item, RangeFilter):
        low = item.gte if item.gte is not None else item.gt
        high = item.lte if item.lte is not None else item.lt
        opening = "[" if item.gte is not None else "("
        closing = "]" if item.lte is not None else ")"
        return f"{sign}{item.field}:{opening}{_bound(low)},{_bound(high)}{closing}"
    return f"{sign}{item.field}:{'|'.join(_value(v) for v in item.values)}"


@dataclass(frozen=True, slots=True)
class SearchEvent:
    """One search as analytics sees it."""

    at: datetime
    kind: SearchKind
    query: str
    category: str | None
    filters: tuple[str, ...]
    total: int

    @classmethod
    def of(
        cls,
        kind: SearchKind,
        text: str,
        category: str | None,
        filters: Iterable[Filter],
        total: int,
        at: datetime | None = None,
    ) -> SearchEvent:
        """The event of a search that found `total` products."""
        return cls(
            at=at or datetime.now(UTC),
            kind=kind,
            query=normalise_query(text),
            category=category,
            filters=tuple(sorted(describe_filter(f) for f in filters)),
            total=total,
        )

    def stream_fields(self) -> dict[str, bytes]:
        """The fields of its stream entry."""
        return {
            "at": str(int(self.at.timestamp() * 1000)).encode(),
            "kind": self.kind.encode(),
            "q": self.query.encode(),
            "category": (self.category or "").encode(),
            "filters": orjson.dumps(list(self.filters)),
            "total": str(self.total).encode(),
        }


def event_from_stream(fields: Mapping[bytes, bytes]) -> SearchEvent | None:
    """The event of a stream entry; None for an entry that is not one (or was trimmed)."""
    try:
        kind = fields[b"kind"].decode()
        if kind not in ("search", "listing"):
            return None
        filters = orjson.loads(fields[b"filters"])
        return SearchEvent(
            at=datetime.fromtimestamp(int(fields[b"at"]) / 1000, UTC),
            kind="search" if kind == "search" else "listing",
            query=fields[b"q"].decode(),
            category=fields[b"category"].decode() or None,
            filters=tuple(str(f) for f in filters),
            total=int(fields[b"total"]),
        )
    except (KeyError, ValueError, TypeError, orjson.JSONDecodeError):
        return None


def events_pattern(prefix: str) -> str:
    """Every daily search-event index (never part of the products alias)."""
    return f"{prefix}-search-events-*"


def events_index(prefix: str, at: datetime) -> str:
    """The daily index holding events of `at`'s UTC day."""
    return f"{prefix}-search-events-{at.astimezone(UTC).strftime(_DAY_FORMAT)}"


def index_day(prefix: str, index: str) -> datetime | None:
    """The UTC day of a daily event index's name, or None for another name."""
    stem = f"{prefix}-search-events-"
    if not index.startswith(stem):
        return None
    try:
        return datetime.strptime(index[len(stem) :], _DAY_FORMAT).replace(tzinfo=UTC)
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
    return doc


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
            },
        },
    }
