"""How far the read model is behind MongoDB: shared by the write API and the CLI."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import pymongo

from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.products.storage import PRODUCTS
from indexer.audit import last_audit
from indexer.dead_letters import DeadLetter, count_dead_letters, dead_letters
from indexer.index_definition import alias_name

DEAD_LETTERS_SHOWN = 20
REPORT_TIMEOUT_S = 60

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncReport:
    """Unsynced changes, their age, product counts on both sides, dead letters, last audit."""

    dirty: int
    oldest_unsynced_age_s: float | None
    mongodb_products: int
    elasticsearch_documents: int | None
    current_index: str | None
    alias: str
    dead_letters: int
    # the oldest few, with their errors
    dead_letter_samples: list[DeadLetter]
    # the report of the most recent audit (see indexer.audit), None before the first
    last_audit: dict[str, Any] | None


async def sync_report(clients: Clients) -> SyncReport:
    """Measure the lag of the read model behind the source of truth."""
    products = clients.db[PRODUCTS]
    dirty_filter = {"dirty_since": {"$exists": True}}
    # limit, not only to_list(1): an open cursor holds a FerretDB connection
    oldest_cursor = products.find(dirty_filter, {"dirty_since": 1}).sort("dirty_since", 1)
    alias = alias_name(clients.settings.es_index_prefix)
    # independent reads, each a scan on FerretDB: side by side, not one after another
    # whole-collection counts: scans on FerretDB (seconds at 20,000 products),
    # so longer than one request's socket timeout may wait
    with pymongo.timeout(REPORT_TIMEOUT_S):
        dirty, oldest, live, (index, es_count) = await asyncio.gather(
            count_products(clients, dirty_filter),
            oldest_cursor.limit(1).to_list(),
            count_products(clients, {"deleted_at": None}),
            _read_model(clients, alias),
        )
    dead, samples, audit = await asyncio.gather(  # small collections
        count_dead_letters(clients), dead_letters(clients, DEAD_LETTERS_SHOWN), last_audit(clients)
    )
    age = (now_ms() - oldest[0]["dirty_since"]).total_seconds() if oldest else None
    return SyncReport(
        dirty=dirty,
        oldest_unsynced_age_s=age,
        mongodb_products=live,
        elasticsearch_documents=es_count,
        current_index=index,
        alias=alias,
        dead_letters=dead,
        dead_letter_samples=samples,
        last_audit=audit,
    )


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
