"""How far the read model is behind MongoDB: shared by the write API and the CLI."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import pymongo
from elasticsearch.exceptions import TransportError
from redis.exceptions import RedisError

from catalog import pending
from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.products.storage import PRODUCTS, Document
from indexer.audit import last_audit
from indexer.dead_letters import DeadLetter, count_dead_letters, dead_letters
from indexer.index_definition import alias_name
from indexer.versions import changed_at, scan_unsynced, unsynced_among

DEAD_LETTERS_SHOWN = 20
REPORT_TIMEOUT_S = 60

log = logging.getLogger(__name__)


# the unsynced count comes from the pending set when it is trusted and at most
# this large; a larger backlog (an import) is the set's size
PENDING_CHECK_LIMIT = 10_000
# a scan keeps this many of the unsynced products it finds, the oldest (only the
# oldest one's age is reported)
SCAN_KEPT = 1

DirtySource = Literal["pending_set", "pending_set_size", "scan"]


@dataclass(frozen=True)
class SyncReport:
    """Unsynced changes, their age, product counts on both sides, dead letters, last audit."""

    dirty: int
    oldest_unsynced_age_s: float | None
    # where `dirty` was counted: the recorded changes checked in MongoDB by id
    # (see catalog.pending), or a query over every product
    dirty_source: DirtySource
    # None when the report was asked without whole-collection counts
    mongodb_products: int | None
    elasticsearch_documents: int | None
    current_index: str | None
    alias: str
    dead_letters: int
    # the oldest few, with their errors
    dead_letter_samples: list[DeadLetter]
    # the report of the most recent audit (see indexer.audit), None before the first
    last_audit: dict[str, Any] | None


@dataclass(frozen=True)
class _Unsynced:
    count: int
    oldest: datetime | None
    source: DirtySource


async def sync_report(clients: Clients, *, counts: bool = True) -> SyncReport:
    """Measure the lag of the read model behind the source of truth.

    Without `counts`, MongoDB's live products are not counted: on FerretDB
    that is a scan of every product, seconds to minutes under writes.
    """
    alias = alias_name(clients.settings.es_index_prefix)
    # whole-collection counts: scans on FerretDB (seconds at 20,000 products),
    # so longer than one request's socket timeout may wait
    with pymongo.timeout(REPORT_TIMEOUT_S):
        unsynced, live, (index, es_count) = await asyncio.gather(  # side by side
            _unsynced(clients),
            count_products(clients, {"deleted_at": None}) if counts else _none(),
            _read_model(clients, alias),
        )
    dead, samples, audit = await asyncio.gather(  # small collections
        count_dead_letters(clients), dead_letters(clients, DEAD_LETTERS_SHOWN), last_audit(clients)
    )
    oldest = unsynced.oldest
    return SyncReport(
        dirty=unsynced.count,
        oldest_unsynced_age_s=(now_ms() - oldest).total_seconds() if oldest else None,
        dirty_source=unsynced.source,
        mongodb_products=live,
        elasticsearch_documents=es_count,
        current_index=index,
        alias=alias,
        dead_letters=dead,
        dead_letter_samples=samples,
        last_audit=audit,
    )


async def _unsynced(clients: Clients) -> _Unsynced:
    """The unsynced products: by id from the pending set when it can be trusted, else a scan.

    The set holds every change since the last full sweep began (see
    catalog.pending), so checking its ids against the index (indexer.versions)
    finds every unsynced product with point reads and one `mget`. A backlog
    larger than PENDING_CHECK_LIMIT (an import) is the set's size, an upper
    bound, its oldest entry's age the age. An untrusted set means a scan that
    compares every product, as the sweeper's does (unpaced, under the report's
    deadline).
    """
    recorded: _Unsynced | None = None
    with contextlib.suppress(RedisError):
        size, oldest_ms = await pending.level(clients.redis)
        oldest = pending.as_datetime(oldest_ms) if oldest_ms is not None else None
        recorded = _Unsynced(size, oldest, "pending_set_size")
        if await pending.trusted(clients.redis):
            if size > PENDING_CHECK_LIMIT:
                return recorded
            ids = await pending.recorded_ids(clients.redis)
            with contextlib.suppress(TransportError):  # the index away: the set's size
                found = await unsynced_among(clients, ids, point_reads=True)
                return _Unsynced(len(found), _oldest(found), "pending_set")
            return recorded
    try:
        found, count = await scan_unsynced(clients, limit=SCAN_KEPT)
    except TransportError:
        if recorded is None:
            raise
        return recorded  # the index away: what the set holds is all there is to tell
    return _Unsynced(count, _oldest(found), "scan")


def _oldest(unsynced: list[Document]) -> datetime | None:
    return min((when for doc in unsynced if (when := changed_at(doc))), default=None)


async def _none() -> None:
    return None


async def count_products(clients: Clients, query: dict[str, Any]) -> int:
    """Exact number of products matching `query`."""
    # the count command, not count_documents: FerretDB runs the latter as an
    # aggregation, many times slower; on an unsharded collection both are exact
    answer = await clients.db.command("count", PRODUCTS, query=query)
    return int(answer["n"])


async def _read_model(clients: Clients, alias: str) -> tuple[str | None, int | None]:
    """The index behind the alias and its document count; (None, None) when unknown."""
    try:
        if not await clients.es.indices.exists_alias(name=alias):
            return None, None
        aliases: dict[str, Any] = await clients.es.indices.get_alias(name=alias)
        count = await clients.es.count(index=alias)
        return next(iter(aliases)), int(count["count"])
    except Exception as exc:  # the report is still useful while Elasticsearch is away
        log.warning("read model not reachable for sync status", extra={"error": repr(exc)})
        return None, None
