"""Serving product images from the object store at `/images/<key>` (the local stacks' image host).

Keys are content-addressed (catalog.images.keys), so an answer never changes:
`Cache-Control: public, max-age=31536000, immutable`, and a strong ETag made
from the key, so a revalidation (If-None-Match) is a 304 without asking the
store. Only image keys are served; anything else is a 404. The bytes are
streamed from the store, never held whole. In production a CDN in front of
the bucket (or of this route) serves them instead: `CATALOG_IMAGE_BASE_URL`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.responses import StreamingResponse

from catalog.clients import Clients
from catalog.images.keys import is_image_key
from catalog.images.object_store import ObjectNotFound, ObjectStore
from read_api.cache.http import etag_matches
from read_api.open_paths import IMAGE_PREFIX

IMMUTABLE = "public, max-age=31536000, immutable"
MISSING = "public, max-age=60"

router = APIRouter(include_in_schema=False)


@contextlib.asynccontextmanager
async def image_store(app: FastAPI, clients: Clients) -> AsyncIterator[None]:
    """Lifespan hook: the object store client the image route reads from."""
    async with ObjectStore(clients.settings) as objects:
        app.state.object_store = objects
        yield


def image_etag(key: str) -> str:
    """The strong ETag of an image object: its key says its content."""
    return '"' + key.replace("/", "-") + '"'


@router.api_route(IMAGE_PREFIX + "{key:path}", methods=["GET", "HEAD"])
async def image(key: str, request: Request) -> Response:
    """One original or thumbnail (404 for any other key)."""
    if not is_image_key(key):
        raise HTTPException(404, "no such image", headers={"Cache-Control": MISSING})
    tag = image_etag(key)
    headers = {"ETag": tag, "Cache-Control": IMMUTABLE}
    if etag_matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    objects: ObjectStore = request.app.state.object_store
    try:
        body = await objects.get(key)
    except ObjectNotFound:
        raise HTTPException(404, "no such image", headers={"Cache-Control": MISSING}) from None
    headers["Content-Length"] = str(body.info.size)
    headers["X-Content-Type-Options"] = "nosniff"
    if request.method == "HEAD":
        await body.chunks.aclose()  # type: ignore[attr-defined]
        return Response(status_code=200, headers=headers, media_type=body.info.content_type)
    return StreamingResponse(body.chunks, headers=headers, media_type=body.info.content_type)
