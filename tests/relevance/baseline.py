"""The plain BM25 baseline: a scratch index of title, description and brand, one multi_match.

The three fields are `text` with the default (standard) analyzer, and the
query is a `multi_match` over them with default settings (best_fields), top
K: what a search engine does before anyone tunes it. The scratch index lives
on the same Elasticsearch as the system, is created fresh for each run and
deleted when the run ends, whatever happens. Bodies are built by pure
functions; only `scratch_index` and `baseline_search` talk to Elasticsearch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpx
import orjson

from tests.relevance.judged_set import Document
from tests.relevance.metrics import Ranking
from tests.relevance.ndcg import K

FIELDS = ("title", "description", "brand")
BULK_DOCS = 2000


def baseline_index(prefix: str, name: str) -> str:
    """The scratch index of one judged set, beside the system's indices."""
    return f"{prefix}-relevance-bm25-{name}"


def index_body() -> dict[str, Any]:
    """Settings and mapping of the scratch index."""
    # one shard, as the 7.x default, so term statistics cover the whole set;
    # no replica, so a one-node cluster stays green (neither changes a score)
    return {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0},
        "mappings": {"dynamic": "strict", "properties": {f: {"type": "text"} for f in FIELDS}},
    }


def source(document: Document) -> dict[str, str]:
    """The indexed fields of one product; a missing description or brand is left out."""
    fields = {"title": document.title, "description": document.description, "brand": document.brand}
    return {name: value for name, value in fields.items() if value}


def bulk_body(documents: Iterable[Document]) -> bytes:
    """An Elasticsearch `_bulk` body indexing the documents by product id."""
    lines = []
    for document in documents:
        lines.append(orjson.dumps({"index": {"_id": document.id}}))
        lines.append(orjson.dumps(source(document)))
    return b"\n".join(lines) + b"\n"


def query_body(query: str, k: int = K) -> dict[str, Any]:
    """One multi_match over the three fields, default settings, the top k ids."""
    return {
        "query": {"multi_match": {"query": query, "fields": list(FIELDS)}},
        "size": k,
        "_source": False,
        "track_total_hits": True,  # exact hit counts; the ranking does not depend on it
    }


@contextmanager
def scratch_index(es: httpx.Client, index: str, documents: Sequence[Document]) -> Iterator[str]:
    """A fresh scratch index holding the documents, searchable; deleted on leaving."""
    es.delete(f"/{index}", params={"ignore_unavailable": "true"}).raise_for_status()
    es.put(f"/{index}", json=index_body()).raise_for_status()
    try:
        for start in range(0, len(documents), BULK_DOCS):
            _bulk(es, index, documents[start : start + BULK_DOCS])
        es.post(f"/{index}/_refresh").raise_for_status()
        yield index
    finally:
        es.delete(f"/{index}", params={"ignore_unavailable": "true"})


def _bulk(es: httpx.Client, index: str, documents: Sequence[Document]) -> None:
    response = es.post(
        f"/{index}/_bulk",
        content=bulk_body(documents),
        headers={"Content-Type": "application/x-ndjson"},
    )
    response.raise_for_status()
    answer = response.json()
    if answer["errors"]:
        failed = [item["index"] for item in answer["items"] if "error" in item["index"]]
        raise RuntimeError(f"{len(failed)} baseline documents refused, e.g. {failed[:3]}")


def baseline_search(es: httpx.Client, index: str, query: str, k: int = K) -> Ranking:
    """The baseline's top k ids for the query, and its total hits."""
    response = es.post(f"/{index}/_search", json=query_body(query, k))
    response.raise_for_status()
    hits = response.json()["hits"]
    return Ranking(tuple(str(hit["_id"]) for hit in hits["hits"]), int(hits["total"]["value"]))
