"""The access log names the client as rate limits count it: behind proxies, their entry."""

from __future__ import annotations

import asyncio
import io

import orjson
import pytest
from starlette.types import Message, Receive, Scope, Send

from catalog.web.access_log import AccessLog
from catalog.web.middleware import RequestContextMiddleware

FORGED_THEN_APPENDED = (b"x-forwarded-for", b"203.0.113.9, 127.0.0.2")


pytestmark = pytest.mark.usefixtures("access_lines_on")


async def _ok(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def _logged_client(trusted_proxies: int) -> object:
    stream = io.BytesIO()
    middleware = RequestContextMiddleware(
        _ok, api_name="read_api", trusted_proxies=trusted_proxies, access_log=AccessLog(stream)
    )
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/v1/search",
        "headers": [FORGED_THEN_APPENDED],
        "client": ("127.0.0.1", 50000),
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        return None

    async def run() -> None:
        await middleware(scope, receive, send)
        middleware.access_log.flush()

    asyncio.run(run())
    (line,) = stream.getvalue().splitlines()
    entry = orjson.loads(line)
    assert (entry["logger"], entry["msg"], entry["status"]) == (
        "catalog.access",
        "GET /v1/search 204",
        204,
    )
    return entry["client"]


def test_behind_one_trusted_proxy_the_client_is_the_address_it_appended() -> None:
    assert _logged_client(1) == "127.0.0.2"


def test_without_trusted_proxies_the_client_is_the_peer() -> None:
    assert _logged_client(0) == "127.0.0.1"
