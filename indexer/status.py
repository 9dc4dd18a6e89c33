"""How far the read model is behind MongoDB: shared by the write API and the CLI."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import pymongo
from redis.exceptions import RedisError

from catalog import pending
from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.mongo_server import find_by_ids
from catalog.products.storage import PRODUCTS, UNSYNCED_MARK, Document, is_unsynced
from indexer.audit import last_audit
from indexer.dead_letters import DeadLetter, count_dead_letters, dead_letters
from indexer.index_definition import alias_name

DEAD_LETTERS_SHOWN = 20
REPORT_TIMEOUT_S = 60

log = logging.getLogger(__name__)


# the unsynced count comes from the pending set when it is trusted and at most
# this large; a larger backlog (an import) is counted in MongoDB
PENDING_CHECK_LIMIT = 10_000

DirtySource = Literal["pending_set", "scan"]
UNSYNCED = {UNSYNCED_MARK: {"$exists": True}}


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
    """The unsynced products: by id from the pending set when it can be trusted, else a query.

    The set holds every change since the last full sweep began (see
    catalog.pending), so checking its ids in MongoDB finds every unsynced
    product with point reads, where the `dirty_since` query scans every
    product on FerretDB.
    """
    with contextlib.suppress(RedisError):
        size, _ = await pending.level(clients.redis)
        if size <= PENDING_CHECK_LIMIT and await pending.trusted(clients.redis):
            ids = await pending.recorded_ids(clients.redis)
            marks = [d["dirty_since"] for d in await unsynced_among(clients, ids, point_reads=True)]
            return _Unsynced(len(marks), min(marks, default=None), "pending_set")
    # limit, not only to_list(1): an open cursor holds a FerretDB connection
    oldest_cursor = clients.db[PRODUCTS].find(UNSYNCED, {"dirty_since": 1})
    count, oldest = await asyncio.gather(
        count_products(clients, UNSYNCED),
        oldest_cursor.sort("dirty_since", 1).limit(1).to_list(),
    )
    return _Unsynced(count, oldest[0]["dirty_since"] if oldest else None, "scan")


async def unsynced_among(
    clients: Clients, product_ids: Sequence[str], *, point_reads: bool
) -> list[Document]:
    """Those of these products still unsynced in MongoDB (`_id` and `dirty_since`)."""
    stored = await find_by_ids(
        clients.db[PRODUCTS], product_ids, point_reads=point_reads, projection={"dirty_since": 1}
    )
    return [doc for doc in stored if is_unsynced(doc)]


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
