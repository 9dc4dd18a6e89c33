"""The roll-up's bulk actions: which document each stream entry writes, and where (pure).

Every action can be applied twice with the same result:
- a search without a queryID is indexed under its stream id;
- a search with a queryID is an upsert of the document named by the queryID,
  and a click or conversion naming that queryID upserts `clicked`/`converted`
  on the same document, when it may be merged with it: the search is known
  (in the same batch, in either order, or rolled up before) and answered every
  object the event names. A queryID no search of ours had, or an object the
  search did not answer, is counted and merged with nothing, so made-up events
  cannot move a search's click-through rate;
- a click, conversion or view is indexed under `<stream id>.<n>`, one document
  per object or filter, in the Insights family.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from analytics.events import (
    INSIGHTS,
    SearchEvent,
    event_document,
    event_from_stream,
    events_index,
)
from analytics.insights_events import (
    InsightEvent,
    Unmerged,
    insight_documents,
    insight_from_stream,
)
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


@dataclass(frozen=True, slots=True)
class KnownSearch:
    """A search with a queryID the roll-up knows: where it lives, its query, its hits."""

    index: str
    query: str
    hits: frozenset[str]


@dataclass(slots=True)
class BatchActions:
    """The actions of a batch, the entries it could not read, the events not merged."""

    actions: list[Action] = field(default_factory=list)
    skipped: int = 0
    unmerged: Counter[Unmerged] = field(default_factory=Counter)


def merge_refusal(event: InsightEvent, search: KnownSearch | None) -> Unmerged | None:
    """Why an event naming a queryID may not be merged with its search; None if it may."""
    if search is None:
        return "unknown_query"
    if not search.hits.issuperset(event.object_ids):
        return "not_in_hits"
    return None


def insight_actions(
    prefix: str, entry_id: str, event: InsightEvent, search: KnownSearch | None = None
) -> tuple[list[Action], Unmerged | None]:
    """The actions of one click, conversion or view, and why it was not merged (if so).

    `search`: the search its queryID names, when the roll-up knows it.
    """
    refusal = merge_refusal(event, search) if event.query_id is not None else None
    merged = search if event.query_id is not None and refusal is None else None
    docs = insight_documents(event, merged.query if merged else None, refusal)
    index = events_index(prefix, event.at, INSIGHTS)
    actions: list[Action] = [
        {"_op_type": "index", "_index": index, "_id": f"{entry_id}.{n}", "_source": doc}
        for n, doc in enumerate(docs)
    ]
    mark = _MARKS.get(event.kind)
    if mark is not None and merged is not None and event.query_id is not None:
        doc = {"query_id": event.query_id, mark: True}
        actions.append(_upsert(merged.index, event.query_id, doc))
    return actions, refusal


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


def known_search(prefix: str, event: SearchEvent) -> KnownSearch | None:
    """What a search event with a queryID tells the clicks of its batch."""
    if event.query_id is None:
        return None
    index = search_index(prefix, event.query_id, event.at)
    return KnownSearch(index, event.query, frozenset(event.hits))


def bulk_actions(
    prefix: str, entries: Iterable[Entry], searches: Mapping[str, KnownSearch] | None = None
) -> BatchActions:
    """The actions of the readable entries, how many were not readable, and what was not merged.

    `searches`: queryID → the searches rolled up before (the batch's own are added).
    """
    events = [(raw_id.decode(), _read(fields)) for raw_id, fields in entries]
    known = dict(searches or {})
    for _, event in events:
        if isinstance(event, SearchEvent) and (search := known_search(prefix, event)):
            known[event.query_id or ""] = search
    batch = BatchActions()
    for entry_id, event in events:
        if isinstance(event, SearchEvent):
            batch.actions += search_actions(prefix, entry_id, event)
        elif isinstance(event, InsightEvent):
            search = known.get(event.query_id) if event.query_id else None
            actions, refusal = insight_actions(prefix, entry_id, event, search)
            batch.actions += actions
            if refusal is not None:
                batch.unmerged[refusal] += 1
        else:
            batch.skipped += 1
    return batch
