"""CORS for the Algolia paths only: InstantSearch runs in shoppers' browsers, on any origin."""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from read_api.algolia.errors import ALGOLIA_PREFIX

PREFLIGHT_MAX_AGE_S = 86_400


class AlgoliaCors:
    """Cross-origin answers and preflights on `/1/`; other paths pass untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # no credentials: the API key travels in headers or the URL, never in cookies
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],
            max_age=PREFLIGHT_MAX_AGE_S,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Route `/1/` requests through the CORS middleware."""
        if scope["type"] == "http" and scope["path"].startswith(ALGOLIA_PREFIX):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
