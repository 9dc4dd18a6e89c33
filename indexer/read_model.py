"""The read model's index and alias: created on first use, never touched while live."""

from __future__ import annotations

import uuid
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.exceptions import RequestError

from indexer.index_definition import alias_name, index_body, index_name

# deletes are remembered this long, so a delayed write of an older version
# cannot bring a deleted product back (Elasticsearch's default is 60 s)
GC_DELETES = "1h"


def new_index_body(replicas: int) -> dict[str, Any]:
    """The index definition with the project's operational settings."""
    body = index_body(replicas=replicas)
    body.setdefault("settings", {}).setdefault("index", {})["gc_deletes"] = GC_DELETES
    return body


async def ensure_alias(es: AsyncElasticsearch, prefix: str, replicas: int = 0) -> str:
    """The alias of the read model, with an index behind it (created if there is none)."""
    alias = alias_name(prefix)
    if await es.indices.exists_alias(name=alias):
        return alias
    index = index_name(prefix, uuid.uuid4().hex[:8])
    body = new_index_body(replicas)
    try:
        await es.indices.create(
            index=index, settings=body["settings"], mappings=body["mappings"], aliases={alias: {}}
        )
    except RequestError:
        # another worker created it at the same moment: use theirs
        await es.indices.delete(index=index, ignore_unavailable=True)
        if not await es.indices.exists_alias(name=alias):
            raise
    return alias
