"""The search-cost benchmark's scratch index: the project's own definition, loaded straight.

Invariants:
- the index is made by `indexer.read_model.new_index_body` with the synonyms
  the read model uses, and its documents by `indexer.documents.build_document`
  from the stored form MongoDB would hold (`bench.sync_throughput.stored_forms`):
  mapping, analysis and documents are production's;
- its name carries the catalog, the product count and `INDEX_VERSION`, and its
  `_meta` a fingerprint of the definition and of the first documents, so an
  index is reused only when all of them match and it holds every document;
- while loading, refresh is off and replicas 0; afterwards refresh is the
  definition's again and one refresh makes everything searchable. No force
  merge: production indices are not merged either. A load that fails leaves
  no index behind.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import orjson
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_streaming_bulk
from rich.progress import Progress

from bench.sync_throughput import stored_forms
from catalog.demo.generator import generate_products
from catalog.settings import Settings
from indexer.documents import build_document
from indexer.index_definition import INDEX_VERSION
from indexer.read_model import load_synonyms, new_index_body

CHUNK = 2000  # products per bulk request
DEMO_SEED = 42
SAMPLE = 20  # first documents whose content the fingerprint covers
TIMESTAMPS = ("created_at", "updated_at")  # the load's clock, not content
Products = Callable[[], Iterator[dict[str, Any]]]


@dataclass(frozen=True)
class Source:
    """A catalog to load: its name, its product count, its products (a new iterator per call)."""

    catalog: str
    count: int
    products: Products


@dataclass(frozen=True)
class Loaded:
    """The scratch index ready to search: whether it was reused, and the seconds spent."""

    index: str
    documents: int
    reused: bool
    seconds: float


def demo_source(count: int) -> Source:
    """The demo catalog's first `count` products (seed 42, as `catalog seed` makes them)."""
    return Source("demo", count, lambda: generate_products(count, seed=DEMO_SEED))


def chorus_source(path: Path) -> Source:
    """The products of a Chorus bulk file (`{"op": "upsert", "product": {...}}` lines)."""

    def products() -> Iterator[dict[str, Any]]:
        with gzip.open(path, "rb") as file:
            for line in file:
                if line.strip():
                    yield orjson.loads(line)["product"]

    return Source("chorus", sum(1 for _ in products()), products)


def scratch_name(prefix: str, source: Source) -> str:
    """The scratch index of a catalog, beside the system's indices, one per index version."""
    return f"{prefix}-bench-cost-v{INDEX_VERSION}-{source.catalog}-{source.count}"


def documents(products: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Index sources of the products, through the stored form; chunk by chunk, memory flat."""
    it = iter(products)
    while batch := list(islice(it, CHUNK)):
        for stored in stored_forms(batch):
            if (doc := build_document(stored)) is not None:
                yield doc


def definition(settings: Settings, source: Source) -> dict[str, Any]:
    """The read model's index body (replicas 0), fingerprinted in `_meta`."""
    body = new_index_body(replicas=0, synonyms=load_synonyms(settings.synonyms_file))
    sample = [
        {k: v for k, v in doc.items() if k not in TIMESTAMPS}
        for doc in islice(documents(islice(source.products(), SAMPLE)), SAMPLE)
    ]
    digest = hashlib.sha256(orjson.dumps([body, sample], option=orjson.OPT_SORT_KEYS))
    body["mappings"]["_meta"] = {"bench": "search_cost", "fingerprint": digest.hexdigest()}
    return body


async def _reusable(es: AsyncElasticsearch, index: str, body: dict[str, Any], count: int) -> str:
    """Why the existing index cannot be reused ("" when it can)."""
    if not await es.indices.exists(index=index):
        return "absent"
    mapping = (await es.indices.get_mapping(index=index))[index]["mappings"]
    if mapping.get("_meta") != body["mappings"]["_meta"]:
        return "built by another definition or document builder"
    held = int((await es.count(index=index))["count"])
    return "" if held == count else f"holds {held:,} of {count:,} documents"


async def _load(es: AsyncElasticsearch, index: str, source: Source, progress: Progress) -> int:
    task = progress.add_task(f"loading {index}", total=source.count)
    actions = (
        {"_index": index, "_id": d["id"], "_source": d} for d in documents(source.products())
    )
    loaded = 0
    stream = async_streaming_bulk(es, actions, chunk_size=CHUNK, max_retries=3, request_timeout=300)
    async for ok, item in stream:
        if not ok:
            raise RuntimeError(f"bulk item failed: {item}")
        loaded += 1
        if loaded % 500 == 0:
            progress.update(task, completed=loaded)
    progress.update(task, completed=loaded)
    return loaded


async def ensure_index(
    es: AsyncElasticsearch,
    settings: Settings,
    prefix: str,
    source: Source,
    reuse: bool,
    progress: Progress,
) -> tuple[Loaded, str]:
    """The scratch index of `source`, reused when it matches, else built anew; and why."""
    started = time.perf_counter()
    index = scratch_name(prefix, source)
    body = definition(settings, source)
    why = await _reusable(es, index, body, source.count) if reuse else "--no-reuse"
    if not why:
        return Loaded(index, source.count, True, time.perf_counter() - started), "reused"
    await es.indices.delete(index=index, ignore_unavailable=True)
    index_settings = body["settings"]["index"]
    refresh = index_settings.get("refresh_interval")
    loading = {**index_settings, "number_of_replicas": 0, "refresh_interval": "-1"}
    create = {"settings": {**body["settings"], "index": loading}, "mappings": body["mappings"]}
    await es.indices.create(index=index, body=create)
    try:
        loaded = await _load(es, index, source, progress)
        await es.indices.put_settings(index=index, body={"index": {"refresh_interval": refresh}})
        await es.indices.refresh(index=index)
        held = int((await es.count(index=index))["count"])
        if held != loaded:
            raise RuntimeError(f"{index} holds {held:,} of {loaded:,} documents")
    except BaseException:
        await es.indices.delete(index=index, ignore_unavailable=True)
        raise
    return Loaded(index, loaded, False, time.perf_counter() - started), f"built ({why})"
