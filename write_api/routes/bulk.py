"""`POST /v1/products:bulk`: stream NDJSON operations in, stream per-line results out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.requests import ClientDisconnect

from catalog.products.pipeline import WritePipeline
from catalog.products.store import ProductStore
from catalog.web.body_limit import BodyTooLargeError
from catalog.web.deps import ClientsDep
from catalog.web.errors import dependency_of
from write_api.auth import KEY_ERRORS, Editor
from write_api.bulk import BulkImporter
from write_api.ndjson import Spool, StreamingOnlyResponse, split_lines

log = logging.getLogger(__name__)
router = APIRouter(tags=["bulk"], responses=KEY_ERRORS)
BULK_PATH = "/v1/products:bulk"  # its body limit is bulk_max_bytes (write_api.app)
NDJSON_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl")
EXAMPLE = (
    '{"op":"upsert","product":{"id":"ACME-1","title":"Hülle","price":9.99}}\n'
    '{"op":"delete","id":"ACME-2"}\n'
)
OPENAPI_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/x-ndjson": {"schema": {"type": "string"}, "example": EXAMPLE}},
    }
}


@router.post(
    BULK_PATH,
    openapi_extra=OPENAPI_BODY,
    response_class=Response,
    responses={
        200: {
            "description": "one JSON line per input line "
            '(`{"line","id","op","status","version","error"}`), then `{"summary": {...}}`',
            "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
        },
        401: {"description": "missing or invalid API key"},
        413: {"description": "body over the limit"},
        415: {"description": "body is not NDJSON"},
        503: {"description": "MongoDB unreachable; retry after Retry-After"},
    },
)
async def bulk_import(request: Request, principal: Editor, clients: ClientsDep) -> Response:
    """Create, replace and delete many products; every line is answered, a bad line fails alone."""
    settings = clients.settings
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in NDJSON_TYPES:
        raise HTTPException(415, "send the operations as application/x-ndjson, one JSON a line")
    await clients.mongo.admin.command("ping")  # fail with 503 before the answer starts

    importer = BulkImporter(
        pipeline=WritePipeline(
            ProductStore(clients.db, point_reads=request.app.state.mongo_point_reads),
            request.app.state.publisher,
        ),
        actor=principal.key_id,
        batch_size=settings.bulk_batch_size,
        max_line_bytes=settings.bulk_max_line_bytes,
    )
    spool = Spool()

    async def pump() -> None:
        aborted, retryable = None, False
        try:
            # the body limit middleware counts the body: a Content-Length over
            # bulk_max_bytes was answered 413, a chunked body raises here
            lines = split_lines(request.stream(), settings.bulk_max_line_bytes)
            async for result in importer.run(lines):
                spool.write(result)
        except BodyTooLargeError:
            aborted = f"body over {settings.bulk_max_bytes} bytes; later lines were not read"
        except ClientDisconnect:
            aborted = "client disconnected"
        except Exception as exc:
            dependency = dependency_of(exc)
            if dependency is None:
                log.exception("bulk import failed")
            aborted = f"{dependency or 'internal error'}: later lines were not processed"
            retryable = dependency is not None
        finally:
            spool.write(importer.summary(aborted, retryable=retryable))
            spool.close()

    worker = asyncio.create_task(pump(), name="bulk-import")

    async def body() -> AsyncIterator[bytes]:
        try:
            async for chunk in spool.chunks():
                yield chunk
        finally:
            if not worker.done():
                worker.cancel()

    return StreamingOnlyResponse(body(), media_type="application/x-ndjson")
