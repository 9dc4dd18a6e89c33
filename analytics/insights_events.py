"""Insights events (clicks, conversions, views): in the stream and in Elasticsearch (pure).

They travel the search events' stream (`kind` = the event type) and land in
the sibling daily indices `<prefix>-insights-events-*`, one document per object
(or filter) the event names, so a click on three products is three clicks,
each at its own position, and the aggregations count plain documents. A
click or conversion after a search also carries that search's query, so
positions can be told per query, when it is merged with that search: the
search was logged, and answered every object the event names. Otherwise the
event still counts, and its documents say why it was not merged (`unmerged`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import orjson

from analytics.insights_model import InsightsEventIn

InsightKind = Literal["click", "conversion", "view"]
INSIGHT_KINDS: tuple[InsightKind, ...] = ("click", "conversion", "view")


@dataclass(frozen=True, slots=True)
class InsightEvent:
    """One click, conversion or view, as analytics keeps it."""

    at: datetime
    kind: InsightKind
    name: str
    index: str
    user_token: str | None
    authenticated_user_token: str | None
    object_ids: tuple[str, ...] = ()
    positions: tuple[int, ...] = ()
    filters: tuple[str, ...] = ()
    query_id: str | None = None
    subtype: str | None = None

    @classmethod
    def of(cls, event: InsightsEventIn, received: datetime) -> InsightEvent:
        """The event of a validated request item (its own timestamp, or when it arrived)."""
        at = received if event.timestamp is None else _from_ms(event.timestamp)
        return cls(
            at=at,
            kind=event.eventType,
            name=event.eventName,
            index=event.index,
            user_token=event.userToken,
            authenticated_user_token=event.authenticatedUserToken,
            object_ids=tuple(event.objectIDs or ()),
            positions=tuple(event.positions or ()),
            filters=tuple(event.filters or ()),
            query_id=event.queryID,
            subtype=event.eventSubtype,
        )

    def stream_fields(self) -> dict[str, bytes]:
        """The fields of its stream entry."""
        fields = {
            "at": str(int(self.at.timestamp() * 1000)).encode(),
            "kind": self.kind.encode(),
            "name": self.name.encode(),
            "index": self.index.encode(),
            "user": (self.user_token or "").encode(),
            "auth_user": (self.authenticated_user_token or "").encode(),
            "objects": orjson.dumps(list(self.object_ids)),
            "positions": orjson.dumps(list(self.positions)),
            "filters": orjson.dumps(list(self.filters)),
        }
        if self.query_id is not None:
            fields["qid"] = self.query_id.encode()
        if self.subtype is not None:
            fields["subtype"] = self.subtype.encode()
        return fields


def _from_ms(millis: int) -> datetime:
    return datetime.fromtimestamp(millis / 1000, UTC)


def _text(fields: Mapping[bytes, bytes], key: bytes) -> str | None:
    value = fields.get(key)
    return value.decode() if value else None


def insight_from_stream(fields: Mapping[bytes, bytes]) -> InsightEvent | None:
    """The event of a stream entry; None for an entry that is not one."""
    try:
        kind = next((k for k in INSIGHT_KINDS if k == fields[b"kind"].decode()), None)
        if kind is None:
            return None
        return InsightEvent(
            at=_from_ms(int(fields[b"at"])),
            kind=kind,
            name=fields[b"name"].decode(),
            index=fields[b"index"].decode(),
            user_token=_text(fields, b"user"),
            authenticated_user_token=_text(fields, b"auth_user"),
            object_ids=tuple(str(o) for o in orjson.loads(fields[b"objects"])),
            positions=tuple(int(p) for p in orjson.loads(fields[b"positions"])),
            filters=tuple(str(f) for f in orjson.loads(fields[b"filters"])),
            query_id=_text(fields, b"qid"),
            subtype=_text(fields, b"subtype"),
        )
    except (KeyError, ValueError, TypeError, orjson.JSONDecodeError):
        return None


# why a click or conversion naming a queryID was counted but not merged with a search:
# no search we logged has that queryID, or an objectID it names was not among its hits
Unmerged = Literal["unknown_query", "not_in_hits"]
UNMERGED_REASONS: tuple[Unmerged, ...] = ("unknown_query", "not_in_hits")
# added to the mapping of indices made before the field existed (put mapping)
UNMERGED_PROPERTIES: dict[str, Any] = {"unmerged": {"type": "keyword"}}


def insight_documents(
    event: InsightEvent, query: str | None = None, unmerged: Unmerged | None = None
) -> list[dict[str, Any]]:
    """Its Elasticsearch sources: one per object (with its position) or per filter.

    `query`: the normalised query of the search its queryID names, when merged with
    it; `unmerged`: why an event naming a queryID was not.
    """
    common: dict[str, Any] = {
        "at": event.at.isoformat(),
        "event_type": event.kind,
        "event_name": event.name,
        "index": event.index,
    }
    optional = {
        "user_token": event.user_token,
        "authenticated_user_token": event.authenticated_user_token,
        "query_id": event.query_id,
        "event_subtype": event.subtype,
        "query": query,
        "unmerged": unmerged,
    }
    common |= {key: value for key, value in optional.items() if value is not None}
    if event.filters:
        return [{**common, "filter": item} for item in event.filters]
    docs = []
    for number, object_id in enumerate(event.object_ids):
        doc = {**common, "object_id": object_id}
        if number < len(event.positions):
            doc["position"] = event.positions[number]
        docs.append(doc)
    return docs


def insights_index_body(replicas: int) -> dict[str, Any]:
    """Settings and strict mapping of a daily Insights event index."""
    keyword = {"type": "keyword", "ignore_above": 1024}
    return {
        "settings": {"index": {"number_of_shards": 1, "number_of_replicas": replicas}},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "at": {"type": "date"},
                "event_type": keyword,
                "event_subtype": keyword,
                "event_name": keyword,
                "index": keyword,
                "user_token": keyword,
                "authenticated_user_token": keyword,
                "query_id": keyword,
                "query": {"type": "keyword", "ignore_above": 512},
                "object_id": keyword,
                "position": {"type": "integer"},
                "filter": keyword,
                **UNMERGED_PROPERTIES,
            },
        },
    }
