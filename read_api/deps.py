"""Request dependencies of the read API, built from the process's clients."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from catalog.web.deps import ClientsDep
from indexer.index_definition import alias_name
from read_api.access import AccessDep
from read_api.views import ReadModel

NATIVE_INDEX = "products"


async def native_index_allowed(access: AccessDep) -> None:
    """403 for a secured key whose `restrictIndices` leave out the native API's index."""
    if not access.allows_index(NATIVE_INDEX):
        raise HTTPException(403, f"the API key may not read the index {NATIVE_INDEX!r}")


# on every router of the native API (the Algolia routes check the index names they are given)
NATIVE_INDEX_CHECK = Depends(native_index_allowed)


async def get_read_model(clients: ClientsDep, access: AccessDep) -> ReadModel:
    """The products alias over this process's Elasticsearch client, as the caller may see it."""
    settings = clients.settings
    return ReadModel(
        clients.es,
        alias_name(settings.es_index_prefix),
        settings.search_timeout_s,
        restrict=access.clauses,
    )


ReadModelDep = Annotated[ReadModel, Depends(get_read_model)]
