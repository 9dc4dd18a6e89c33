"""Adding the Algolia protocol to the read API: its routes (searches, synonym reads), CORS and
error shapes."""

from __future__ import annotations

from fastapi import FastAPI

from read_api.algolia.cors import AlgoliaCors
from read_api.algolia.errors import install_algolia_errors
from read_api.algolia.routes import router
from read_api.algolia.synonyms import router as synonyms_router


def install_algolia(app: FastAPI) -> None:
    """Serve `/1/` as Algolia does; call after the app's other handlers are installed."""
    app.include_router(router)
    app.include_router(synonyms_router)
    app.add_middleware(AlgoliaCors)  # outermost: preflights and 429s get CORS headers too
    install_algolia_errors(app)
