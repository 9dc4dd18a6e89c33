"""`GET /v1/sync/status`: how far the read model is behind MongoDB."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from catalog.web.deps import ClientsDep
from indexer.status import SyncReport, sync_report
from write_api.auth import KEY_ERRORS, SyncReader

router = APIRouter(prefix="/v1/sync", tags=["sync"], responses=KEY_ERRORS)


@router.get("/status")
async def sync_status(
    _: SyncReader,
    clients: ClientsDep,
    counts: Annotated[
        bool,
        Query(
            description="count MongoDB's live products too (on FerretDB a scan of every "
            "product, slow under writes); false leaves `mongodb_products` null"
        ),
    ] = True,
) -> SyncReport:
    """Unsynced changes, their age, and product counts on both sides."""
    return await sync_report(clients, counts=counts)
