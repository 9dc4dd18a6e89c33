"""The audit: proof that Elasticsearch equals MongoDB, id by id and version by version.

Both sides are streamed in id order (MongoDB by `_id`, Elasticsearch by the
`id` keyword with `search_after`) and merged like two sorted files, so memory
stays flat whatever the catalog size. Every live product must be in the
index at exactly its stored version, and nothing else may be. Differences
found by the scan are checked once more by id at the end, because the
catalog keeps changing while the audit runs: a product written after the
audit started and not yet synced is "in flight", not a fault. With `repair`,
what differs is written again from MongoDB. The last report is kept in
MongoDB and shown by sync status.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import pymongo

from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.mongo_server import chunked, find_by_ids, is_ferretdb, paced_batches
from catalog.products.storage import PRODUCTS
from indexer import versions
from indexer.freshness import publish_now
from indexer.index_definition import alias_name
from indexer.sync import sync_products

log = logging.getLogger(__name__)

AUDITS = "sync_audits"
LAST_AUDIT_ID = "last"
PAGE = 1000
SAMPLE = 20
KINDS = ("missing", "stale", "ahead", "extra")
AUDIT_TIMEOUT_S = 3 * 3600
# the audit rests this many times as long as each batch took: at most half
# of the database's time goes to it
AUDIT_DUTY_FACTOR = 1.0
Progress = Callable[[int, int], None]


@dataclass
class AuditReport:
    """What an audit compared and found; `clean` means the two sides are equal."""

    started_at: datetime
    finished_at: datetime | None = None
    index: str | None = None
    mongodb_products: int = 0
    elasticsearch_documents: int = 0
    # live in MongoDB but absent from the index
    missing: int = 0
    # in the index at an older version than MongoDB's
    stale: int = 0
    # in the index at a newer version than MongoDB's (MongoDB restored from a backup?)
    ahead: int = 0
    # in the index but deleted in MongoDB, or unknown there
    extra: int = 0
    # changed while the audit ran and not yet synced: expected to converge
    in_flight: int = 0
    repaired: int = 0
    repair: bool = False
    samples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        """True when nothing differs but changes still on their way."""
        return self.missing + self.stale + self.ahead + self.extra == 0

    def as_document(self) -> dict[str, Any]:
        """The report as kept in MongoDB and shown in sync status."""
        return {**asdict(self), "clean": self.clean}


async def _mongo_versions(clients: Clients, ferretdb: bool) -> AsyncIterator[tuple[str, int]]:
    """Live products' (id, version) in id order."""
    live = {"deleted_at": None}
    if not ferretdb:  # an index walk: streamed in order
        cursor = clients.db[PRODUCTS].find(live, {"version": 1}, batch_size=PAGE)
        async for doc in cursor.sort("_id", 1):
            yield doc["_id"], int(doc["version"])
        return
    # FerretDB sorts every product in one first batch that holds up the
    # server's writes for seconds; unsorted it streams batch by batch, so the
    # audit reads paced and sorts the ids itself (memory: ids and versions)
    versions: list[tuple[str, int]] = []
    cursor = clients.db[PRODUCTS].find(live, {"version": 1}, batch_size=PAGE)
    async for batch in paced_batches(cursor, PAGE, AUDIT_DUTY_FACTOR):
        versions.extend((doc["_id"], int(doc["version"])) for doc in batch)
    versions.sort()
    for entry in versions:
        yield entry


async def _index_versions(clients: Clients, index: str) -> AsyncIterator[tuple[str, int]]:
    after: list[Any] | None = None
    while True:
        answer = await clients.es.search(
            index=index,
            query={"match_all": {}},
            sort=["id"],  # ascending: the default for a field
            size=PAGE,
            _source=False,
            version=True,
            track_total_hits=False,
            search_after=after,
        )
        hits = answer["hits"]["hits"]
        for hit in hits:
            yield hit["_id"], int(hit["_version"])
        if len(hits) < PAGE:
            return
        after = hits[-1]["sort"]


async def _merge(
    clients: Clients, index: str, report: AuditReport, progress: Progress | None, ferretdb: bool
) -> dict[str, str]:
    """Walk both sorted streams; return each differing id with its kind."""
    total = await clients.db[PRODUCTS].estimated_document_count()
    differing: dict[str, str] = {}
    mongo, es = _mongo_versions(clients, ferretdb), _index_versions(clients, index)
    left = await anext(mongo, None)
    right = await anext(es, None)
    while left is not None or right is not None:
        if right is None or (left is not None and left[0] < right[0]):
            assert left is not None
            differing[left[0]] = "missing"
            report.mongodb_products += 1
            left = await anext(mongo, None)
        elif left is None or right[0] < left[0]:
            differing[right[0]] = "extra"
            report.elasticsearch_documents += 1
            right = await anext(es, None)
        else:
            if left[1] != right[1]:
                differing[left[0]] = "stale" if right[1] < left[1] else "ahead"
            report.mongodb_products += 1
            report.elasticsearch_documents += 1
            left, right = await anext(mongo, None), await anext(es, None)
        if progress and report.mongodb_products % PAGE == 0:
            progress(report.mongodb_products, max(total, report.mongodb_products))
    if progress:
        progress(report.mongodb_products, report.mongodb_products)
    return differing


async def _recheck(
    clients: Clients, index: str, differing: dict[str, str], started: datetime, point_reads: bool
) -> dict[str, str]:
    """Compare the differing ids again, now, by id; drop what has converged.

    The scan reads the index as of its last refresh; this check reads it in
    real time. What still differs but was changed after the audit started
    is marked in flight.
    """
    still: dict[str, str] = {}
    for chunk in chunked(list(differing), PAGE):
        found = await find_by_ids(
            clients.db[PRODUCTS], chunk, point_reads=point_reads, projection=versions.PROJECTION
        )
        stored = {doc["_id"]: doc for doc in found}
        indexed = await versions.indexed_versions(clients, chunk, index)
        for product_id in chunk:
            kind: str | None = versions.compare(stored.get(product_id), indexed.get(product_id))
            if kind is None:
                continue
            doc = stored.get(product_id)
            changed = doc.get("updated_at") if doc else None
            if doc is not None and changed is not None and changed >= started:
                kind = "in_flight"
            still[product_id] = kind
    return still


async def _repair(
    clients: Clients, index: str, differing: dict[str, str], point_reads: bool
) -> int:
    """Write MongoDB's state again for what differs; unknown ids leave the index."""
    repaired = 0
    for chunk in chunked(list(differing), 500):
        result = await sync_products(clients, chunk, point_reads=point_reads)
        repaired += result.indexed + result.deleted
        found = await find_by_ids(
            clients.db[PRODUCTS], chunk, point_reads=point_reads, projection={"_id": 1}
        )
        known = {doc["_id"] for doc in found}
        for product_id in chunk:
            if product_id not in known:  # not even a tombstone: nothing will ever delete it
                await clients.es.delete(index=index, id=product_id, ignore=[404])
                repaired += 1
    return repaired


async def audit(
    clients: Clients, *, repair: bool = False, progress: Progress | None = None
) -> AuditReport:
    """Compare every id and version of MongoDB and the index; optionally repair; keep the report."""
    report = AuditReport(started_at=now_ms(), repair=repair)
    alias = alias_name(clients.settings.es_index_prefix)
    aliases: dict[str, Any] = await clients.es.indices.get_alias(name=alias)
    report.index = next(iter(aliases))
    # one long read, not a request: the clients' per-request socket timeout
    # would end a sorted scan that a busy FerretDB starts slowly
    # FerretDB: point reads by id, and an unsorted scan (see _mongo_versions)
    ferretdb = await is_ferretdb(clients.mongo)
    with pymongo.timeout(AUDIT_TIMEOUT_S):
        differing = await _merge(clients, alias, report, progress, ferretdb)
        differing = await _recheck(clients, alias, differing, report.started_at, ferretdb)
    for kind in (*KINDS, "in_flight"):
        ids = [i for i, k in differing.items() if k == kind]
        setattr(report, kind, len(ids))
        if ids:
            report.samples[kind] = ids[:SAMPLE]
    if repair:
        faults = {i: k for i, k in differing.items() if k != "in_flight"}
        report.repaired = await _repair(clients, alias, faults, ferretdb)
        if report.repaired:  # repaired products are searchable, and cached answers retire
            await publish_now(clients, alias)
    report.finished_at = now_ms()
    await clients.db[AUDITS].replace_one({"_id": LAST_AUDIT_ID}, report.as_document(), upsert=True)
    summary = {k: v for k, v in report.as_document().items() if k != "samples"}
    log.info("audit finished", extra=summary)
    return report


async def last_audit(clients: Clients) -> dict[str, Any] | None:
    """The report of the most recent audit, as kept; None before the first."""
    return await clients.db[AUDITS].find_one({"_id": LAST_AUDIT_ID}, {"_id": 0})
