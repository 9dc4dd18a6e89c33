"""413 for request bodies over the limit, checked before and while they are read.

Every route has a limit: the API's default, or its own for an exact (method,
path) or a (method, path pattern) (a route with path parameters). A declared
Content-Length over the limit is answered before a byte of the body is read;
a body without one (chunked) is counted as the app reads it and cut at the
limit: the 413 goes out at once with `Connection: close`, the app is told the
client left, and the rest is never read. A streaming route whose answer has
already started gets `BodyTooLargeError` instead, to report the cut in its own
stream (the bulk import does).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# the answer's JSON for (path, status, message): an API may answer in its own shape
ErrorShape = Callable[[str, int, str], dict[str, Any]]
_DISCONNECT: Message = {"type": "http.disconnect"}


def detail_shape(path: str, status: int, message: str) -> dict[str, Any]:
    """The native error shape, `{"detail": message}`."""
    return {"detail": message}


class BodyTooLargeError(Exception):
    """A body grew past its limit while being read, after the answer had started."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is over {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class BodyLimits:
    """The largest body of each route: `default`, or the one `routes` names for (method, path)."""

    default: int
    routes: Mapping[tuple[str, str], int] = field(default_factory=dict)
    shape: ErrorShape = detail_shape
    patterns: Sequence[tuple[str, re.Pattern[str], int]] = ()

    def limit_of(self, method: str, path: str) -> int:
        """The limit of one request's route."""
        if self.routes and (method, path) in self.routes:
            return self.routes[(method, path)]
        for route_method, pattern, limit in self.patterns:
            if route_method == method and pattern.fullmatch(path):
                return limit
        return self.default


def _declared_length(scope: Scope) -> int | None:
    """The Content-Length header's value; None without one, -1 when it is not a number."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else -1
    return None


def too_large_message(limit: int) -> str:
    """What a 413 says."""
    return f"the request body may hold at most {limit} bytes"


class BodyLimitMiddleware:
    """Caps every request body at its route's limit without reading past it."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def _reject(self, send: Send, path: str, status: int, message: str) -> None:
        body = orjson.dumps(self.limits.shape(path, status, message))
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),  # the unread rest of the body is never read
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Reject, or count and cut, the body of one HTTP request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = self.limits.limit_of(scope["method"], path)
        declared = _declared_length(scope)
        if declared == -1:
            await self._reject(send, path, 400, "Content-Length is not a number")
            return
        if declared is not None and declared > limit:
            await self._reject(send, path, 413, too_large_message(limit))
            return
        seen = 0
        started = cut = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if cut:  # the 413 went out: what the app answers after it is dropped
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        async def counting_receive() -> Message:
            nonlocal seen, cut
            if cut:
                return _DISCONNECT
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    if started:
                        raise BodyTooLargeError(limit)
                    cut = True
                    await self._reject(send, path, 413, too_large_message(limit))
                    return _DISCONNECT
            return message

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not cut:
                raise
            # the app failed on the disconnect it was told of; the client has its 413
