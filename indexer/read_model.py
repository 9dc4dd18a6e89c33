"""The read model's index and alias: created on first use, never touched while live."""

from __future__ import annotations

from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.exceptions import RequestError

from indexer.index_definition import alias_name, index_body, index_name

# deletes are remembered this long, so a delayed write of an older version
# cannot bring a deleted product back (Elasticsearch's default is 60 s)
GC_DELETES = "1h"
FIRST_GENERATION = "first"


def new_index_body(replicas: int) -> dict[str, Any]:
    """The index definition with the project's operational settings."""
    body = index_body(replicas=replicas)
    body.setdefault("settings", {}).setdefault("index", {})["gc_deletes"] = GC_DELETES
    return body


async def ensure_alias(es: AsyncElasticsearch, prefix: str, replicas: int = 0) -> str:
    """The alias of the read model, with an index behind it (created if there is none).

    The first index has a fixed name: when several workers start at once, one
    creates it and the others get "already exists". (With random names each
    would create its own index under the alias, and writes to an alias over
    two indices fail.) Rebuilds create the later generations.
    """
    alias = alias_name(prefix)
    if await es.indices.exists_alias(name=alias):
        return alias
    body = new_index_body(replicas)
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
