"""The storefront page at `/`: the InstantSearch.js bundle that `make storefront` builds.

The bundle's file names carry a hash of their content, so browsers keep them for a
year; index.html names them and is revalidated on every load (ETag), so a new build
is picked up at once. The routes stay out of the OpenAPI schema: they are a page,
not part of the API.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse

from read_api.cache.encoding import etag_of
from read_api.cache.http import etag_matches
from read_api.open_paths import ASSET_PREFIX

DIST_DIR = Path(__file__).resolve().parent.parent / "storefront" / "dist"
BUILD_COMMAND = "make storefront"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# what the build writes: letters, digits, dots, dashes; never a path or a hidden file
_ASSET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (and does not refuse it with q=0)."""
    for part in (accept_encoding or "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def is_asset_name(name: str) -> bool:
    """Whether `name` may name a file of the bundle (the .gz twins are served implicitly)."""
    return bool(_ASSET_NAME.fullmatch(name)) and not name.endswith(".gz")


def not_built_message(dist_dir: Path) -> str:
    """What `/` says while the bundle is missing."""
    return (
        f"The storefront is not built: {dist_dir / 'index.html'} is missing.\n"
        f"Build it with `{BUILD_COMMAND}` (npm ci and npm run build in storefront/); "
        "`make up` does this too. Then reload this page.\n"
    )


def storefront_router(dist_dir: Path = DIST_DIR) -> APIRouter:
    """Routes serving the built storefront from `dist_dir`."""
    router = APIRouter(include_in_schema=False)
    assets = dist_dir / "assets"

    @router.api_route("/", methods=["GET", "HEAD"])
    def index(request: Request) -> Response:
        try:
            content = (dist_dir / "index.html").read_bytes()
        except FileNotFoundError:
            return PlainTextResponse(not_built_message(dist_dir), status_code=503)
        etag = etag_of(content)
        headers = {"ETag": etag, "Cache-Control": REVALIDATE}
        if etag_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        return HTMLResponse(content, headers=headers)

    @router.api_route(ASSET_PREFIX + "{name}", methods=["GET", "HEAD"])
    def asset(name: str, request: Request) -> FileResponse:
        path = assets / name
        if not is_asset_name(name) or not path.is_file():
            raise HTTPException(status_code=404, detail="no such storefront file")
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
        gzipped = path.with_name(name + ".gz")
        if accepts_gzip(request.headers.get("accept-encoding")) and gzipped.is_file():
            headers["Content-Encoding"] = "gzip"
            return FileResponse(gzipped, media_type=media_type, headers=headers)
        return FileResponse(path, media_type=media_type, headers=headers)

    return router
