"""The write API (command side): editors change the catalog through it."""

from __future__ import annotations

from fastapi import FastAPI

from catalog.settings import Settings, get_settings
from catalog.web.factory import build_app


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the write API; uvicorn calls this as a factory."""
    return build_app(
        api_name="write_api",
        title="catalog-search write API",
        description="Command side: create, change, delete and bulk-import products. "
        "MongoDB holds the versioned source of truth.",
        settings=settings or get_settings(),
    )
