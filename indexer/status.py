"""How far the read model is behind MongoDB: shared by the write API and the CLI."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.products.storage import PRODUCTS
from indexer.index_definition import alias_name

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncReport:
    """Unsynced changes, their age, and product counts on both sides."""

    dirty: int
    oldest_unsynced_age_s: float | None
    mongodb_products: int
    elasticsearch_documents: int | None
    current_index: str | None
    alias: str


async def sync_report(clients: Clients) -> SyncReport:
    """Measure the lag of the read model behind the source of truth."""
    products = clients.db[PRODUCTS]
    dirty_filter = {"dirty_since": {"$exists": True}}
    dirty = await _count(clients, dirty_filter)
    oldest = await products.find(dirty_filter, {"dirty_since": 1}).sort("dirty_since", 1).to_list(1)
    age = (now_ms() - oldest[0]["dirty_since"]).total_seconds() if oldest else None
    live = await _count(clients, {"deleted_at": None})
    alias = alias_name(clients.settings.es_index_prefix)
    index, es_count = await _read_model(clients, alias)
    return SyncReport(dirty, age, live, es_count, index, alias)


async def _count(clients: Clients, query: dict[str, Any]) -> int:
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
