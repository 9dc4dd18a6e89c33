"""Looking into the test stack's search index directly, as an operator would with curl."""

from __future__ import annotations

import httpx

from catalog.settings import Settings
from indexer.index_definition import alias_name


def indexed_count(settings: Settings, id_prefix: str) -> int:
    """Documents in the live index whose id starts with `id_prefix` (-1 if unreachable)."""
    try:
        response = httpx.post(
            f"{settings.es_urls[0]}{alias_name(settings.es_index_prefix)}/_count",
            json={"query": {"prefix": {"id": id_prefix}}},
            timeout=10,
        )
    except httpx.HTTPError:
        return -1
    return int(response.json()["count"]) if response.status_code == 200 else -1
