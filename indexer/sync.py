"""Bringing products from MongoDB into Elasticsearch: idempotent and order-independent.

An index task carries product ids, most with the state their write left
(catalog.carried); the others, and any changed again since, are read from
MongoDB. Each sync writes a state with its stored version as Elasticsearch's
external version, so an older state never overwrites a newer one whatever
the order tasks arrive in, and a version conflict means "already newer":
success. A tombstone deletes with its version. Nothing is written back to
MongoDB: a product is synced when the index holds its stored version
(indexer.versions), and the pending set forgets the ids a task wrote.

Failures come in two kinds. An outage (Elasticsearch unreachable, overloaded
or blocked) is nobody's fault: the product stays unsynced and is retried. A
rejection is the document's own: it is counted, and a product rejected again
and again becomes a dead letter (see indexer.dead_letters) instead of being
retried forever.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from elasticsearch.helpers import async_streaming_bulk

from catalog import carried
from catalog.clients import Clients
from catalog.mongo_server import find_by_ids
from catalog.products.storage import PRODUCTS, Document
from indexer import dead_letters
from indexer.documents import build_document
from indexer.read_model import ensure_alias, load_synonyms
from indexer.versions import changed_at

# item statuses that speak of Elasticsearch's state, not of the document:
# blocked index (disk full), too many requests, unavailable shards, and any
# answer that never came back with a status at all
OUTAGE_STATUSES = frozenset({403, 408, 429})
MAX_ERROR_CHARS = 500


def is_outage(status: object) -> bool:
    """True when a failed bulk item should be retried as it is, later."""
    return not isinstance(status, int) or status >= 500 or status in OUTAGE_STATUSES


@dataclass
class SyncResult:
    """What one sync did."""

    indexed: int = 0
    deleted: int = 0
    already_newer: int = 0
    missing: int = 0
    read_back: int = 0  # products read from MongoDB (not carried by the task)
    # product id -> error: refused by Elasticsearch, or not written because of an outage
    rejected: dict[str, str] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    dead_lettered: list[str] = field(default_factory=list)
    # when each product written by this sync was changed (for the lag metric)
    changed_at: list[datetime] = field(default_factory=list)

    @property
    def failed(self) -> dict[str, str]:
        """Every product not written, whatever the reason."""
        return {**self.unavailable, **self.rejected}

    @property
    def changed(self) -> bool:
        """True when search results may differ after this sync."""
        return self.indexed + self.deleted > 0

    @property
    def to_retry(self) -> list[str]:
        """Products to try again: outages, and rejections not yet given up on."""
        dead = set(self.dead_lettered)
        return [*self.unavailable, *(i for i in self.rejected if i not in dead)]


# called once the documents are in Elasticsearch, before the failure records are
# settled: searches may see the writes from then on
Written = Callable[[SyncResult], Awaitable[None]]


def _action(alias: str, stored: Document) -> dict[str, Any]:
    source = build_document(stored)
    action: dict[str, Any] = {
        "_index": alias,
        "_id": stored["_id"],
        "version": stored["version"],
        "version_type": "external",
    }
    if source is None:
        action["_op_type"] = "delete"
    else:
        action["_source"] = source
    return action


async def sync_products(
    clients: Clients,
    ids: Sequence[str],
    *,
    point_reads: bool = True,
    on_written: Written | None = None,
    states: Mapping[str, Document] | None = None,
    read_back: Collection[str] = (),
) -> SyncResult:
    """Write these products to the read model: the carried `states` as they are, the
    others (and those in `read_back`, changed since their state was sent) as MongoDB
    holds them now."""
    unique = list(dict.fromkeys(ids))
    wanted = set(unique)
    known = {
        i: carried.decode(state)
        for i, state in (states or {}).items()
        if i in wanted and i not in read_back
    }
    to_read = [i for i in unique if i not in known]
    stored = await find_by_ids(clients.db[PRODUCTS], to_read, point_reads=point_reads)
    result = await write_documents(clients, [*known.values(), *stored], on_written=on_written)
    result.missing = len(to_read) - len(stored)
    result.read_back = len(to_read)
    return result


async def write_documents(
    clients: Clients,
    stored: Sequence[Document],
    *,
    index: str | None = None,
    settle: bool = True,
    on_written: Written | None = None,
) -> SyncResult:
    """Write these stored states (each at its version); by default to the live alias.

    `on_written` runs right after the write. With `settle` (not for a rebuild's
    new index), rejections are counted towards dead letters and the failure
    records of the products written are dropped.
    """
    result = SyncResult()
    if not stored:
        if on_written is not None:
            await on_written(result)
        return result
    settings = clients.settings
    alias = index or await ensure_alias(
        clients.es,
        settings.es_index_prefix,
        settings.es_replicas,
        load_synonyms(settings.synonyms_file),
    )
    by_id = {doc["_id"]: doc for doc in stored}
    written: list[str] = []
    actions = [_action(alias, doc) for doc in stored]
    async for ok, item in async_streaming_bulk(
        clients.es, actions, raise_on_error=False, raise_on_exception=False, max_retries=0
    ):
        op, info = next(iter(item.items()))
        doc = by_id[info["_id"]]
        status = info.get("status", 500)
        if ok or status == 409 or (op == "delete" and status == 404):
            # 409: Elasticsearch already holds this version or a newer one
            result.already_newer += status == 409
            result.deleted += op == "delete" and status != 409
            result.indexed += op != "delete" and status != 409
            when = changed_at(doc)
            if status != 409 and when is not None:
                result.changed_at.append(when)
            written.append(doc["_id"])
        elif is_outage(status):
            result.unavailable[doc["_id"]] = str(info.get("error", status))[:MAX_ERROR_CHARS]
        else:
            result.rejected[doc["_id"]] = str(info.get("error", status))[:MAX_ERROR_CHARS]
    if on_written is not None:
        await on_written(result)
    if settle:
        await dead_letters.forget(clients, written)
        rejected = {i: (by_id[i]["version"], error) for i, error in result.rejected.items()}
        result.dead_lettered = await dead_letters.record_rejections(
            clients, rejected, clients.settings.index_max_attempts
        )
    return result
