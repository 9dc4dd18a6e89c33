"""The read API's side of the search log: its lifespan, its dependency, and what a search logs.

The log itself (queue, flusher, stream) is the analytics domain's
(`search_log.py`); this module turns a `SearchQuery` into its event, describing
the filters in the `filter` syntax, so the domain never sees the query model.
Logging never fails a search.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from analytics.events import SearchEvent, SearchKind
from analytics.search_log import SearchLog
from catalog.clients import Clients
from read_api.analytics.filter_description import describe_filter
from read_api.query.model import SearchQuery

log = logging.getLogger(__name__)


def log_search(
    search_log: SearchLog,
    kind: SearchKind,
    query: SearchQuery,
    total: int,
    *,
    query_id: str | None = None,
    hits: Sequence[str] = (),
) -> None:
    """Log a search that found `total` products; whatever happens, the search goes on.

    `query_id`: the queryID the search answered with (`clickAnalytics`), which
    clicks and conversions name later; `hits`: the objectIDs it answered, the only
    ones its clicks and conversions may name.
    """
    try:
        filters = [describe_filter(f) for f in query.filters]
        event = SearchEvent.of(
            kind, query.text, query.category, filters, total, query_id=query_id, hits=hits
        )
    except Exception:  # a bug here must not fail a search
        log.exception("search event not built")
        return
    search_log.record(event)


@contextlib.asynccontextmanager
async def search_log_lifespan(app: FastAPI, clients: Clients) -> AsyncIterator[None]:
    """The read API's search log: started with the app, drained at shutdown."""
    settings = clients.settings
    search_log = SearchLog(
        clients.redis,
        capacity=settings.analytics_queue_size,
        stream_maxlen=settings.analytics_stream_maxlen,
    )
    search_log.start()
    app.state.search_log = search_log
    try:
        yield
    finally:
        await search_log.stop()


async def get_search_log(request: Request) -> SearchLog:
    """The process's search log (one that drops everything before the app has started)."""
    search_log: SearchLog | None = getattr(request.app.state, "search_log", None)
    return search_log if search_log is not None else _NOT_STARTED


# an app used without its lifespan (some test clients) has no flusher: count, then drop
_NOT_STARTED = SearchLog(None, capacity=1, stream_maxlen=1)


SearchLogDep = Annotated[SearchLog, Depends(get_search_log)]
