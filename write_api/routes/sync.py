"""`GET /v1/sync/status`: how far the read model is behind MongoDB."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter

from catalog.clock import now_ms
from catalog.products.storage import PRODUCTS
from catalog.web.deps import ClientsDep
from indexer.index_definition import alias_name
from write_api.auth import Editor
from write_api.schemas import SyncStatus

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/sync", tags=["sync"])


@router.get("/status")
async def sync_status(_: Editor, clients: ClientsDep) -> SyncStatus:
    """Unsynced changes, their age, and product counts on both sides."""
    products = clients.db[PRODUCTS]
    dirty_filter = {"dirty_since": {"$exists": True}}
    dirty = await products.count_documents(dirty_filter)
    oldest = await products.find(dirty_filter, {"dirty_since": 1}).sort("dirty_since", 1).to_list(1)
    age = (now_ms() - oldest[0]["dirty_since"]).total_seconds() if oldest else None
    live = await products.count_documents({"deleted_at": None})
    alias = alias_name(clients.settings.es_index_prefix)
    index, es_count = await _read_model(clients, alias)
    return SyncStatus(
        dirty=dirty,
        oldest_unsynced_age_s=age,
        mongodb_products=live,
        elasticsearch_documents=es_count,
        current_index=index,
        alias=alias,
    )


async def _read_model(clients: ClientsDep, alias: str) -> tuple[str | None, int | None]:
    """The index behind the alias and its document count; (None, None) when unknown."""
    try:
        if not await clients.es.indices.exists_alias(name=alias):
            return None, None
        aliases: dict[str, Any] = await clients.es.indices.get_alias(name=alias)
        count = await clients.es.count(index=alias)
        return next(iter(aliases)), int(count["count"])
    except Exception as exc:  # the write side answers even while Elasticsearch is away
        log.warning("read model not reachable for sync status", extra={"error": repr(exc)})
        return None, None
