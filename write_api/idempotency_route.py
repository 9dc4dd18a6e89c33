"""Wrapping a write route so that an Idempotency-Key replays its first answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Header, HTTPException, Request, Response

from catalog.apikeys import Principal
from write_api.idempotency import (
    MAX_KEY_LENGTH,
    IdempotencyInProgress,
    IdempotencyKeyReused,
    IdempotencyStore,
    StoredResponse,
    fingerprint,
)

REPLAYED_HEADERS = ("etag", "location", "content-type")

IdempotencyKey = Annotated[
    str | None,
    Header(
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        pattern=r"^[\x21-\x7e]+$",
        description="a client-chosen key; a retry with the same key returns the first answer",
    ),
]


async def idempotent(
    request: Request,
    principal: Principal,
    key: str | None,
    run: Callable[[], Awaitable[Response]],
    *,
    body: bytes | None = None,
) -> Response:
    """Run the write once per key; replay the stored answer for retries.

    `body` stands for the request's body in its fingerprint when the route
    streamed the body itself (an image upload passes a digest of it).
    """
    if key is None:
        return await run()
    store = IdempotencyStore(
        request.app.state.clients.db, request.app.state.settings.idempotency_ttl_s
    )
    scope = f"{principal.key_id}:{key}"
    if body is None:
        body = await request.body()
    try:
        replay = await store.begin(scope, fingerprint(request.method, request.url.path, body))
    except IdempotencyKeyReused as exc:
        raise HTTPException(
            422,
            [
                {
                    "loc": ["header", "idempotency-key"],
                    "type": "value_error",
                    "msg": "this Idempotency-Key was used for a different request",
                }
            ],
        ) from exc
    except IdempotencyInProgress as exc:
        raise HTTPException(
            409, "a request with this Idempotency-Key is still running", {"Retry-After": "1"}
        ) from exc
    if replay is not None:
        return Response(
            replay.body, replay.status, {**replay.headers, "Idempotent-Replayed": "true"}
        )
    try:
        response = await run()
    except BaseException:
        # nothing was written for an error answer: a retry may run the request again
        await store.abandon(scope)
        raise
    headers = {k: v for k, v in response.headers.items() if k in REPLAYED_HEADERS}
    await store.complete(scope, StoredResponse(response.status_code, bytes(response.body), headers))
    return response
