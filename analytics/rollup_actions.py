"""The roll-up's bulk actions: which document each stream entry writes, and where (pure).

Every action can be applied twice with the same result:
- a search without a queryID is indexed under its stream id;
- a search with a queryID is an upsert of the document named by the queryID,
  and a click or conversion naming that queryID upserts `clicked`/`converted`
  on the same document. The two merge whichever the roll-up sees first, so
  the click-through rate never depends on the order events arrive in;
- a click, conversion or view is indexed under `<stream id>.<n>`, one document
  per object or filter, in the Insights family.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from analytics.events import (
    INSIGHTS,
    SearchEvent,
    event_document,
    event_from_stream,
    events_index,
)
from analytics.insights_events import InsightEvent, insight_documents, insight_from_stream
from analytics.insights_model import MAX_CLOCK_SKEW, MAX_EVENT_AGE
from analytics.query_ids import query_id_time

Entry = tuple[bytes, dict[bytes, bytes] | None]
Action = dict[str, Any]
# a queryID more than this away from its search's own time is not one of ours
_ID_DRIFT = timedelta(days=1)
_MARKS = {"click": "clicked", "conversion": "converted"}


def search_index(prefix: str, query_id: str, at: datetime) -> str:
    """The daily index of a search with a queryID: the day the id names (else `at`'s)."""
    named = query_id_time(query_id)
    if named is None or abs(named - at) > _ID_DRIFT:
        return events_index(prefix, at)
    return events_index(prefix, named)


def searched_index(prefix: str, query_id: str, clicked_at: datetime) -> str | None:
    """Where the search a click or conversion names lives; None when the id cannot say."""
    named = query_id_time(query_id)
    earliest = clicked_at - MAX_EVENT_AGE - _ID_DRIFT
    if named is None or not earliest <= named <= clicked_at + MAX_CLOCK_SKEW:
        return None
    return events_index(prefix, named)


def _upsert(index: str, doc_id: str, doc: dict[str, Any]) -> Action:
    return {
        "_op_type": "update",
        "_index": index,
        "_id": doc_id,
        "doc": doc,
        "doc_as_upsert": True,
        "retry_on_conflict": 3,
    }


def search_actions(prefix: str, entry_id: str, event: SearchEvent) -> list[Action]:
    """The action of one search event."""
    doc = event_document(event)
    if event.query_id is None:
        index = events_index(prefix, event.at)
        return [{"_op_type": "index", "_index": index, "_id": entry_id, "_source": doc}]
    return [_upsert(search_index(prefix, event.query_id, event.at), event.query_id, doc)]


def insight_actions(
    prefix: str, entry_id: str, event: InsightEvent, query: str | None = None
) -> list[Action]:
    """The actions of one click, conversion or view: its documents, and the search's mark."""
    index = events_index(prefix, event.at, INSIGHTS)
    actions: list[Action] = [
        {"_op_type": "index", "_index": index, "_id": f"{entry_id}.{n}", "_source": doc}
        for n, doc in enumerate(insight_documents(event, query))
    ]
    mark = _MARKS.get(event.kind)
    if mark is not None and event.query_id is not None:
        searched = searched_index(prefix, event.query_id, event.at)
        if searched is not None:
            doc = {"query_id": event.query_id, mark: True}
            actions.append(_upsert(searched, event.query_id, doc))
    return actions


def _read(fields: dict[bytes, bytes] | None) -> SearchEvent | InsightEvent | None:
    if not fields:
        return None
    return event_from_stream(fields) or insight_from_stream(fields)


def searches_to_look_up(prefix: str, entries: Iterable[Entry]) -> dict[str, str]:
    """queryID → index of the searches the batch's clicks and conversions name, not in it."""
    events = [_read(fields) for _, fields in entries]
    in_batch = {e.query_id for e in events if isinstance(e, SearchEvent)}
    wanted: dict[str, str] = {}
    for event in events:
        if isinstance(event, InsightEvent) and event.query_id and event.query_id not in in_batch:
            index = searched_index(prefix, event.query_id, event.at)
            if index is not None:
                wanted[event.query_id] = index
    return wanted


def bulk_actions(
    prefix: str, entries: Iterable[Entry], queries: Mapping[str, str] | None = None
) -> tuple[list[Action], int]:
    """The actions of the readable entries, and how many entries were not readable.

    `queries`: queryID → query of searches rolled up before (the batch's own are added).
    """
    events = [(raw_id.decode(), _read(fields)) for raw_id, fields in entries]
    known = dict(queries or {})
    known |= {e.query_id: e.query for _, e in events if isinstance(e, SearchEvent) and e.query_id}
    actions: list[Action] = []
    for entry_id, event in events:
        if isinstance(event, SearchEvent):
            actions += search_actions(prefix, entry_id, event)
        elif isinstance(event, InsightEvent):
            query = known.get(event.query_id) if event.query_id else None
            actions += insight_actions(prefix, entry_id, event, query)
    skipped = sum(1 for _, event in events if event is None)
    return actions, skipped
