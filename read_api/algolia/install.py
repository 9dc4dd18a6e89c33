"""Adding the Algolia protocol to the read API: its routes (searches; settings, rule and synonym
reads), CORS and error shapes."""

from __future__ import annotations

from fastapi import FastAPI

from read_api.algolia.cors import AlgoliaCors
from read_api.algolia.errors import install_algolia_errors
from read_api.algolia.index_settings import router as settings_router
from read_api.algolia.routes import router
from read_api.algolia.rules import router as rules_router
from read_api.algolia.synonyms import router as synonyms_router


def install_algolia(app: FastAPI) -> None:
    """Serve `/1/` as Algolia does; call after the app's other handlers are installed."""
    # before the searches: `GET {index}/settings` is not the record with objectID "settings"
    app.include_router(settings_router)
    app.include_router(rules_router)
    app.include_router(synonyms_router)
    app.include_router(router)
    app.add_middleware(AlgoliaCors)  # outermost: preflights and 429s get CORS headers too
    install_algolia_errors(app)
