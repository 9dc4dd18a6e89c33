"""Request bodies read with a size limit: never more than the limit in memory."""

from __future__ import annotations

from fastapi import Request


class BodyTooLarge(Exception):
    """The body went over the limit; answered 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is over {limit} bytes")
        self.limit = limit


async def bounded_body(request: Request, limit: int) -> bytes:
    """The whole body, read chunk by chunk; `BodyTooLarge` as soon as it exceeds `limit`."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)
