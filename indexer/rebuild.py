"""Zero-downtime rebuild of the read model from MongoDB: new index, catch-up, one alias swap.

Steps: take a Redis lock (two rebuilds never overlap); create a new index
with replicas 0 and refresh off; stream every product from MongoDB into it;
restore replicas and refresh; write again whatever changed since the
rebuild began (normal index tasks keep writing to the live alias meanwhile);
swap the alias atomically; catch up once more for changes that landed on the
old index just before the swap; drop the old index. Writing with external
versions makes every catch-up safe to repeat. A failure deletes the new
index and leaves the live alias untouched.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pymongo

from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.products.storage import PRODUCTS, Document
from indexer import metrics
from indexer.freshness import publish_now
from indexer.index_definition import alias_name, index_name
from indexer.read_model import load_synonyms, new_index_body
from indexer.sync import write_documents

LOCK_KEY = "catalog:lock:rebuild"
LOCK_TIMEOUT_S = 4 * 3600
# the reads' own deadline: a long read, not a request. Under load FerretDB can
# take longer than the clients' per-request socket timeout to answer a page
# (the soak benchmark's rebuild failed so at minute 15), as for the audit
READ_TIMEOUT_S = 3 * 3600
CLOCK_MARGIN = timedelta(seconds=5)  # writers' clocks may trail ours a little
Progress = Callable[[int, int], None]


class RebuildInProgress(Exception):
    """Another rebuild holds the lock."""


@dataclass(frozen=True)
class RebuildResult:
    """What a rebuild produced."""

    index: str
    previous: list[str]
    products: int
    caught_up: int


async def _estimated_total(clients: Clients) -> int:
    # only for the progress bar: an exact count is a full aggregation on FerretDB
    return await clients.db[PRODUCTS].estimated_document_count()


async def _create_loading_index(clients: Clients) -> str:
    index = index_name(clients.settings.es_index_prefix, uuid.uuid4().hex[:8])
    body = new_index_body(replicas=0, synonyms=load_synonyms(clients.settings.synonyms_file))
    body["settings"]["index"].update({"number_of_replicas": 0, "refresh_interval": "-1"})
    await clients.es.indices.create(
        index=index, settings=body["settings"], mappings=body["mappings"]
    )
    return index


async def _load(clients: Clients, index: str, batch: int, progress: Progress | None) -> int:
    total, loaded, pending = await _estimated_total(clients), 0, []
    # one cursor streams the whole collection: flat memory, one scan
    async for doc in clients.db[PRODUCTS].find({"deleted_at": None}, batch_size=batch):
        pending.append(doc)
        if len(pending) >= batch:
            loaded += await _write(clients, index, pending)
            pending = []
            await _report(clients, progress, loaded, max(total, loaded))
    loaded += await _write(clients, index, pending)
    await _report(clients, progress, loaded, loaded)  # the exact total is known now
    return loaded


async def _report(clients: Clients, progress: Progress | None, loaded: int, total: int) -> None:
    if progress:
        progress(loaded, total)
    await metrics.publish_snapshot(
        clients.redis, rebuild_loaded=loaded, rebuild_total=total, rebuild_running=1
    )


async def _write(clients: Clients, index: str, docs: list[Document]) -> int:
    result = await write_documents(clients, docs, index=index, settle=False)
    if result.failed:
        raise RuntimeError(f"{len(result.failed)} products rejected: {result.failed}")
    return result.indexed + result.already_newer


async def _catch_up(clients: Clients, index: str, since: datetime, batch: int) -> int:
    """Write every product changed since `since` (tombstones too) to `index`."""
    changed, pending = 0, []
    async for doc in clients.db[PRODUCTS].find({"updated_at": {"$gte": since}}, batch_size=batch):
        pending.append(doc)
        if len(pending) >= batch:
            changed += len(pending)
            await write_documents(clients, pending, index=index, settle=False)
            pending = []
    changed += len(pending)
    await write_documents(clients, pending, index=index, settle=False)
    return changed


async def _swap(clients: Clients, index: str) -> list[str]:
    alias = alias_name(clients.settings.es_index_prefix)
    previous: list[str] = []
    if await clients.es.indices.exists_alias(name=alias):
        previous = list(await clients.es.indices.get_alias(name=alias))
    actions = [{"remove": {"index": old, "alias": alias}} for old in previous]
    actions.append({"add": {"index": index, "alias": alias}})
    await clients.es.indices.update_aliases(body={"actions": actions})
    return previous


async def rebuild(
    clients: Clients, *, batch: int = 500, progress: Progress | None = None
) -> RebuildResult:
    """Rebuild the read model into a new index and swap the alias to it."""
    lock = clients.redis.lock(LOCK_KEY, timeout=LOCK_TIMEOUT_S)
    if not await lock.acquire(blocking=False):
        raise RebuildInProgress("another rebuild is running")
    try:
        started = now_ms() - CLOCK_MARGIN
        index = await _create_loading_index(clients)
        try:
            with pymongo.timeout(READ_TIMEOUT_S):
                loaded = await _load(clients, index, batch, progress)
            await clients.es.indices.put_settings(
                index=index,
                body={
                    "index": {
                        "number_of_replicas": clients.settings.es_replicas,
                        "refresh_interval": "1s",
                    }
                },
            )
            swap_started = now_ms() - CLOCK_MARGIN
            with pymongo.timeout(READ_TIMEOUT_S):
                caught_up = await _catch_up(clients, index, started, batch)
            await clients.es.indices.refresh(index=index)
            previous = await _swap(clients, index)
        except BaseException:
            await clients.es.indices.delete(index=index, ignore_unavailable=True)
            raise
        with pymongo.timeout(READ_TIMEOUT_S):
            caught_up += await _catch_up(clients, index, swap_started, batch)
        for old in previous:
            await clients.es.indices.delete(index=old, ignore_unavailable=True)
        # answers cached from the old index retire now, none served even as stale
        await publish_now(clients, index, everything=True)
        return RebuildResult(index, previous, loaded, caught_up)
    finally:
        await metrics.publish_snapshot(clients.redis, rebuild_running=0)
        await lock.release()
