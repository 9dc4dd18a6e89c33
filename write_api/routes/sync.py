"""`GET /v1/sync/status`: how far the read model is behind MongoDB."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from catalog.web.deps import ClientsDep
from indexer.status import sync_report
from write_api.auth import Editor
from write_api.schemas import SyncStatus

router = APIRouter(prefix="/v1/sync", tags=["sync"])


@router.get("/status")
async def sync_status(_: Editor, clients: ClientsDep) -> SyncStatus:
    """Unsynced changes, their age, and product counts on both sides."""
    return SyncStatus(**asdict(await sync_report(clients)))
