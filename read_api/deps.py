"""Request dependencies of the read API, built from the process's clients."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from catalog.web.deps import ClientsDep
from indexer.index_definition import alias_name
from read_api.views import ReadModel


async def get_read_model(clients: ClientsDep) -> ReadModel:
    """The products alias over this process's Elasticsearch client."""
    settings = clients.settings
    return ReadModel(clients.es, alias_name(settings.es_index_prefix), settings.search_timeout_s)


ReadModelDep = Annotated[ReadModel, Depends(get_read_model)]
