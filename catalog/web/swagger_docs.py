"""`/docs`: FastAPI's Swagger UI page, with a Content-Security-Policy of its own.

The page loads Swagger UI's script and stylesheet (release 5.35.0, pinned) from
cdn.jsdelivr.net and
starts it with one inline script, so the API-wide policy (own origin only, no
inline code) would blank it. Its policy allows that CDN and the inline script
by its SHA-256 (computed from the very page sent, so it always matches); no
'unsafe-inline' (Swagger UI 5.35 was run under it in Chromium: the operations
list, "Try it out" and the models show, with no violation). It forbids
framing, and requests go to the API's own origin only. The script and style
sources name the pinned release's folder, not the CDN (a CSP source may carry
a path); that form was not run in a browser here, which cannot reach the CDN. No OAuth2 redirect
page: the APIs take bearer keys, typed into the page.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from catalog.web.security_headers import FRAME_ANCESTORS

DOCS_URL = "/docs"
# one pinned release, and the policy allows that release's folder alone (CSP sources
# may name a path), not the whole CDN
SWAGGER_UI = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0/"
CDN = SWAGGER_UI
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def docs_policy(page: bytes) -> str:
    """The policy of one rendered docs page: its inline scripts allowed by hash."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(page)
    )
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src {CDN} {hashes}",
            f"style-src {CDN}",
            "img-src 'self' data: https:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            FRAME_ANCESTORS,
        )
    )


def add_docs_route(app: FastAPI) -> None:
    """Serve the Swagger UI page at /docs (build the app with `docs_url=None`)."""

    async def swagger_ui(request: Request) -> HTMLResponse:
        root_path = request.scope.get("root_path", "").rstrip("/")
        page = get_swagger_ui_html(
            openapi_url=root_path + (app.openapi_url or "/openapi.json"),
            title=f"{app.title} - Swagger UI",
            swagger_ui_parameters=app.swagger_ui_parameters,
            swagger_js_url=SWAGGER_UI + "swagger-ui-bundle.js",
            swagger_css_url=SWAGGER_UI + "swagger-ui.css",
        )
        page.headers["Content-Security-Policy"] = docs_policy(bytes(page.body))
        return page

    app.add_route(DOCS_URL, swagger_ui, include_in_schema=False)
