"""Request dependencies of the write API, built from the process's clients."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from catalog.products.commands import ProductCommands
from catalog.products.store import ProductStore
from catalog.web.deps import ClientsDep
from write_api.image_commands import ImageCommands


async def get_store(request: Request, clients: ClientsDep) -> ProductStore:
    """The product store over this process's MongoDB client."""
    state = request.app.state
    return ProductStore(clients.db, point_reads=state.mongo_point_reads, recent=state.recent_states)


async def get_commands(
    request: Request, store: Annotated[ProductStore, Depends(get_store)]
) -> ProductCommands:
    """The command handlers, publishing index tasks through the app's publisher."""
    return ProductCommands(store, request.app.state.publisher)


StoreDep = Annotated[ProductStore, Depends(get_store)]
CommandsDep = Annotated[ProductCommands, Depends(get_commands)]


async def get_image_commands(request: Request, commands: CommandsDep) -> ImageCommands:
    """Image uploads and removals over the app's object store."""
    return ImageCommands(commands, request.app.state.object_store, request.app.state.settings)


ImageCommandsDep = Annotated[ImageCommands, Depends(get_image_commands)]
