"""Throughput: products through the whole system until searchable, vs. both stores written directly.

The system side sends every product in one streamed bulk request and counts
the run's documents in the live index (through the alias, so only what a
search finds) until all are there. The baseline writes the same documents,
already validated and converted, with `insert_many` into a scratch collection
and with `_bulk` into a scratch index made from the project's index body,
then refreshes it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import orjson
from elasticsearch.helpers import async_bulk
from rich.progress import Progress

from bench.sync_target import POLL_S, BulkOutcome, SyncTimeout, Target
from catalog.clock import now_ms
from catalog.products.model import ProductCreate
from catalog.products.storage import Document, to_storage
from indexer.documents import build_document
from indexer.read_model import new_index_body


@dataclass(frozen=True)
class SystemRun:
    """The system side: when the write API had answered every line, when all were searchable."""

    created: int
    answered_s: float
    searchable_s: float


@dataclass(frozen=True)
class BaselineRun:
    """The baseline: seconds for the MongoDB inserts and for Elasticsearch (bulk + refresh)."""

    mongo_s: float
    es_s: float


def stored_forms(products: list[dict[str, Any]]) -> list[Document]:
    """The products as MongoDB stores them at version 1 (no sync bookkeeping)."""
    now = now_ms()
    docs = []
    for product in products:
        public = ProductCreate.model_validate(product).public_dict()
        public.pop("id")
        stored = {"_id": product["id"], **to_storage(public), "version": 1}
        docs.append(stored | {"created_at": now, "updated_at": now})
    return docs


async def baseline(
    target: Target, products: list[dict[str, Any]], batch: int, run: str
) -> BaselineRun:
    """Write the documents straight into a scratch collection and a scratch index."""
    docs = stored_forms(products)
    index = f"{target.alias.removesuffix('-products')}-bench-sync-{run}"
    actions = [
        {
            "_index": index,
            "_id": doc["_id"],
            "version": 1,
            "version_type": "external",
            "_source": build_document(doc),
        }
        for doc in docs
    ]
    scratch = target.db[f"bench_sync_{run}"]
    body = new_index_body(replicas=0)
    await target.es.indices.create(index=index, body=body)
    try:
        started = time.perf_counter()
        for start in range(0, len(docs), batch):
            await scratch.insert_many(docs[start : start + batch], ordered=False)
        mongo_s = time.perf_counter() - started
        started = time.perf_counter()
        await async_bulk(target.es, actions, chunk_size=batch, max_retries=0, request_timeout=120)
        await target.es.indices.refresh(index=index)
        es_s = time.perf_counter() - started
        searchable = (await target.es.count(index=index))["count"]
        if searchable != len(docs):
            raise RuntimeError(f"baseline index holds {searchable} of {len(docs)} documents")
    finally:
        await target.es.indices.delete(index=index, ignore_unavailable=True)
        await scratch.drop()
    return BaselineRun(mongo_s, es_s)


async def through_system(
    target: Target,
    products: list[dict[str, Any]],
    prefix: str,
    timeout_s: float,
    progress: Progress,
) -> SystemRun:
    """Time from the first bulk line sent until every product is searchable through the alias."""
    lines = [orjson.dumps({"op": "upsert", "product": p}) + b"\n" for p in products]
    sent = progress.add_task("write API answered", total=len(lines))
    found = progress.add_task("searchable", total=len(lines))
    answered_at = 0.0

    async def send() -> BulkOutcome:
        nonlocal answered_at
        outcome = await target.bulk(lines, lambda: progress.advance(sent))
        answered_at = time.perf_counter()
        return outcome

    started = time.perf_counter()
    sending = asyncio.create_task(send())
    try:
        # every product is new, so the run's document count is the number at version 1
        while (count := await target.searchable(prefix)) < len(lines):
            progress.update(found, completed=count)
            if sending.done() and len(sending.result().versions) < len(lines):
                outcome = sending.result()
                raise RuntimeError(f"the write API wrote {outcome.summary}: {outcome.errors}")
            if time.perf_counter() - started > timeout_s:
                raise SyncTimeout(f"{count:,} of {len(lines):,} products searchable")
            await asyncio.sleep(POLL_S)
        searchable_at = time.perf_counter()
        progress.update(found, completed=count)
        outcome = await sending
    finally:
        sending.cancel()
    return SystemRun(
        int(outcome.summary.get("created", 0)), answered_at - started, searchable_at - started
    )
