"""Building the query suggestions from the search events (run by a periodic worker job).

1. The most searched queries of the last `suggestions_days` (one aggregation
   over the daily search event indices), filtered (analytics/query_suggestions.py).
2. Each one counted among the active products, all its words required
   across their text (a query that finds nothing as typed, a misspelling, is
   not suggested), 50 to an `_msearch`, with the top values of a few facets.
3. The records written into a new index, which replaces the old one behind
   the alias in one atomic alias update; older generations are deleted.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk

from analytics.events import events_pattern
from analytics.query_suggestions import (
    Candidate,
    candidates_of,
    chosen,
    counted,
    counting_body,
    excluded_words,
    popular_queries_body,
    suggestion_record,
)
from analytics.suggestions_index import suggestions_alias, suggestions_index, suggestions_index_body
from catalog.clients import Clients
from catalog.settings import Settings
from indexer.index_definition import alias_name

log = logging.getLogger(__name__)
SEARCHES_PER_REQUEST = 50
BUILD_LOCK = "catalog:lock:query-suggestions"
BUILD_LOCK_TIMEOUT_S = 600


async def _records(
    es: AsyncElasticsearch, products: str, candidates: list[Candidate]
) -> list[dict[str, Any]]:
    """The records of the candidates that find products, with their top facet values."""
    records = []
    for start in range(0, len(candidates), SEARCHES_PER_REQUEST):
        batch = candidates[start : start + SEARCHES_PER_REQUEST]
        lines: list[dict[str, Any]] = []
        for candidate in batch:
            lines += [{}, counting_body(candidate.query)]
        answer = await es.msearch(body=lines, index=products)
        for candidate, response in zip(batch, answer["responses"], strict=True):
            if "error" in response:
                continue
            hits, facets = counted(response)
            if hits:
                records.append(suggestion_record(candidate, hits, facets))
    return records


async def build_suggestions(es: AsyncElasticsearch, settings: Settings, now: datetime) -> int:
    """Rebuild the suggestions index from the searches; how many suggestions it holds."""
    prefix = settings.es_index_prefix
    since = now - timedelta(days=settings.suggestions_days)
    popular = await es.search(
        index=events_pattern(prefix),
        **popular_queries_body(since, settings.suggestions_max * 3),
        ignore_unavailable=True,
        allow_no_indices=True,
    )
    candidates = chosen(
        candidates_of(popular),
        min_count=settings.suggestions_min_count,
        min_letters=settings.suggestions_min_letters,
        excluded=excluded_words(settings.suggestions_excluded_words),
        limit=settings.suggestions_max,
    )
    records = await _records(es, alias_name(prefix), candidates)
    index = suggestions_index(prefix, now.strftime("%Y%m%d%H%M%S%f"))
    body = suggestions_index_body(settings.es_replicas)
    await es.indices.create(index=index, settings=body["settings"], mappings=body["mappings"])
    try:
        actions = ({"_index": index, "_id": r["objectID"], "_source": r} for r in records)
        await async_bulk(es, actions, refresh="wait_for")
        await _swap(es, prefix, index)
    except BaseException:
        await es.indices.delete(index=index, ignore_unavailable=True)
        raise
    return len(records)


async def build_once(clients: Clients, now: datetime) -> int | None:
    """`build_suggestions` unless another build runs (None then): builds never overlap, or
    one would delete the index the other is writing."""
    lock = clients.redis.lock(BUILD_LOCK, timeout=BUILD_LOCK_TIMEOUT_S)
    if not await lock.acquire(blocking=False):
        return None
    try:
        return await build_suggestions(clients.es, clients.settings, now)
    finally:
        await lock.release()


async def _swap(es: AsyncElasticsearch, prefix: str, index: str) -> None:
    """Point the alias at the new index only, then delete the generations it left."""
    alias = suggestions_alias(prefix)
    found = await es.indices.get(index=f"{alias}-*", ignore_unavailable=True, allow_no_indices=True)
    older = [name for name in found if name != index]
    actions: list[dict[str, Any]] = [{"add": {"index": index, "alias": alias}}]
    actions += [{"remove": {"index": name, "alias": alias}} for name in older if alias in
                found[name].get("aliases", {})]  # fmt: skip
    await es.indices.update_aliases(body={"actions": actions})
    if older:
        await es.indices.delete(index=",".join(older), ignore_unavailable=True)
    log.info("query suggestions swapped", extra={"index": index, "deleted": older})
