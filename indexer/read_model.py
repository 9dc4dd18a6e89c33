"""The read model's index and alias: created on first use, never touched while live."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.exceptions import RequestError

from indexer.index_definition import DEFAULT_SYNONYMS, alias_name, index_body, index_name

# deletes are remembered this long, so a delayed write of an older version
# cannot bring a deleted product back (Elasticsearch's default is 60 s)
GC_DELETES = "1h"
FIRST_GENERATION = "first"


@lru_cache(maxsize=4)
def load_synonyms(path: Path | None) -> tuple[str, ...]:
    """Synonym rules (Solr format, one per line, `#` comments) from a file, or the built-in list.

    Read once per process: they matter only when an index is created, and a
    rebuild (`catalog reindex`, a new process) is how a changed list goes live.
    """
    if path is None:
        return DEFAULT_SYNONYMS
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def new_index_body(replicas: int, synonyms: Sequence[str] = DEFAULT_SYNONYMS) -> dict[str, Any]:
    """The index definition with the project's operational settings."""
    body = index_body(synonyms=synonyms, replicas=replicas)
    body.setdefault("settings", {}).setdefault("index", {})["gc_deletes"] = GC_DELETES
    return body


async def ensure_alias(
    es: AsyncElasticsearch,
    prefix: str,
    replicas: int = 0,
    synonyms: Sequence[str] = DEFAULT_SYNONYMS,
) -> str:
    """The alias of the read model, with an index behind it (created if there is none).

    The first index has a fixed name: when several workers start at once, one
    creates it and the others get "already exists". (With random names each
    would create its own index under the alias, and writes to an alias over
    two indices fail.) Rebuilds create the later generations.
    """
    alias = alias_name(prefix)
    if await es.indices.exists_alias(name=alias):
        return alias
    body = new_index_body(replicas, synonyms)
    try:
        await es.indices.create(
            index=index_name(prefix, FIRST_GENERATION),
            settings=body["settings"],
            mappings=body["mappings"],
            aliases={alias: {}},
        )
    except RequestError as exc:
        if exc.error != "resource_already_exists_exception":
            raise
    return alias
