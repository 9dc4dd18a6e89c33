"""Loading products through the write API's bulk endpoint, then waiting until each is searchable.

A product counts as indexed once Elasticsearch holds it at the version the
write API answered for it, or a newer one: the indexer writes the stored
version as Elasticsearch's external version. So a re-import of unchanged
products waits for nothing, and a changed product waits for its new state,
not for the document that was there before. The workers do the indexing;
this module only reads the index and refreshes it at the end, so what it
waited for is searchable at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import orjson

from catalog.settings import Settings
from indexer.index_definition import alias_name
from tests.e2e.conftest import api_url
from tests.keys import mint_key, revoke

SEND_LINES = 1000  # NDJSON lines per chunk of the streamed request body
WRITTEN = frozenset({"created", "updated", "unchanged", "deleted"})
ERRORS_SHOWN = 5
MGET_IDS = 1000
POLL_S = 0.5
INDEXED_TIMEOUT_S = 600.0  # a liveness bound for a fresh import of ~20,000 products


class LoadFailed(Exception):
    """The write API refused lines, or the index did not catch up in time."""


@dataclass(frozen=True)
class Loaded:
    """What one bulk import did: its summary, and the version each product has now."""

    summary: dict[str, int]
    versions: dict[str, int]


def written_versions(result_lines: Iterable[bytes]) -> Loaded:
    """Read the bulk answer's lines; LoadFailed unless every line was written and it ended."""
    versions: dict[str, int] = {}
    errors: list[str] = []
    summary: dict[str, int] | None = None
    for text in result_lines:
        if not text.strip():
            continue
        result = orjson.loads(text)
        if "summary" in result:
            summary = result["summary"]
        elif result.get("status") in WRITTEN and result.get("version"):
            versions[str(result["id"])] = int(result["version"])
        elif len(errors) < ERRORS_SHOWN:
            errors.append(text.decode(errors="replace"))
    if summary is None:
        raise LoadFailed("the bulk answer ended before its summary")
    if errors or summary.get("errors") or "aborted" in summary:
        raise LoadFailed(f"bulk import failed: {summary}; first errors: {errors}")
    return Loaded(summary, versions)


def bulk_import(write_api: httpx.Client, lines: Iterable[bytes]) -> Loaded:
    """Send NDJSON bulk lines in one streamed request (the client holds an editor key)."""

    def body() -> Iterator[bytes]:
        # chunks of lines, so a catalog of any size streams with flat memory
        chunk: list[bytes] = []
        for line in lines:
            chunk.append(line if line.endswith(b"\n") else line + b"\n")
            if len(chunk) == SEND_LINES:
                yield b"".join(chunk)
                chunk = []
        if chunk:
            yield b"".join(chunk)

    headers = {"Content-Type": "application/x-ndjson"}
    with write_api.stream("POST", "/v1/products:bulk", content=body(), headers=headers) as answer:
        if answer.is_error:
            answer.read()
            raise LoadFailed(f"bulk import: HTTP {answer.status_code}: {answer.text[:500]}")
        return written_versions(line.encode() for line in answer.iter_lines())


def behind(es: httpx.Client, alias: str, versions: Mapping[str, int]) -> list[str]:
    """The ids Elasticsearch does not hold yet at their version (missing or older)."""
    ids = list(versions)
    late: list[str] = []
    for start in range(0, len(ids), MGET_IDS):
        # _mget is real-time: it sees a written document before any refresh
        response = es.post(
            f"/{alias}/_mget",
            params={"_source": "false"},
            json={"ids": ids[start : start + MGET_IDS]},
        )
        response.raise_for_status()
        for doc in response.json()["docs"]:
            if not doc.get("found") or int(doc["_version"]) < versions[doc["_id"]]:
                late.append(doc["_id"])
    return late


def wait_indexed(
    es: httpx.Client, alias: str, versions: Mapping[str, int], timeout_s: float = INDEXED_TIMEOUT_S
) -> None:
    """Poll until every product is indexed at its version, then refresh the alias."""
    deadline = time.monotonic() + timeout_s
    while late := behind(es, alias, versions):
        if time.monotonic() > deadline:
            raise LoadFailed(
                f"{len(late):,} of {len(versions):,} products not indexed, e.g. {late[:5]}"
            )
        time.sleep(POLL_S)
    es.post(f"/{alias}/_refresh").raise_for_status()


def load_products(
    settings: Settings, key: str, lines: Iterable[bytes], timeout_s: float = INDEXED_TIMEOUT_S
) -> Loaded:
    """Import bulk lines through the write API with an editor key; return once all searchable."""
    with (
        httpx.Client(
            base_url=api_url(settings, "write_api"),
            headers={"Authorization": f"Bearer {key}"},
            timeout=httpx.Timeout(600, connect=10),
        ) as write_api,
        httpx.Client(base_url=settings.es_urls[0], timeout=60) as es,
    ):
        loaded = bulk_import(write_api, lines)
        wait_indexed(es, alias_name(settings.es_index_prefix), loaded.versions, timeout_s)
    return loaded


@contextmanager
def editor_key(settings: Settings, name: str) -> Iterator[str]:
    """A fresh editor key in the stack's MongoDB (as the e2e Keys fixture mints), revoked after."""
    key = mint_key(settings, "editor", name)
    try:
        yield key
    finally:
        revoke(settings, key)
