"""413 for request bodies over the limit, checked before and while they are read."""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLargeError(Exception):
    """A body grew past its limit while being read."""


async def _reject(send: Send, status: int, detail: str) -> None:
    body = orjson.dumps({"detail": detail})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Caps request bodies at `max_bytes`, except on paths that stream and limit themselves."""

    def __init__(self, app: ASGIApp, max_bytes: int, streaming_suffixes: tuple[str, ...]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.streaming_suffixes = streaming_suffixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Reject or count the body of one HTTP request."""
        if scope["type"] != "http" or scope["path"].endswith(self.streaming_suffixes):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                if not value.isdigit():
                    await _reject(send, 400, "Content-Length is not a number")
                    return
                if int(value) > self.max_bytes:
                    await _reject(send, 413, f"the body may hold at most {self.max_bytes} bytes")
                    return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLargeError
            return message

        await self.app(scope, counting_receive, send)
