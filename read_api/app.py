"""The read API (query side): storefronts, InstantSearch and analysts query it."""

from __future__ import annotations

from fastapi import FastAPI

from catalog.settings import Settings, get_settings
from catalog.web.factory import build_app


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the read API; uvicorn calls this as a factory."""
    return build_app(
        api_name="read_api",
        title="catalog-search read API",
        description="Query side: faceted full-text search, listings, autocomplete and "
        "analytics over the Elasticsearch read model, behind a Redis cache.",
        settings=settings or get_settings(),
    )
