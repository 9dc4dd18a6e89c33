"""The access log names the client as rate limits count it: behind proxies, their entry."""

from __future__ import annotations

import asyncio
import logging

import pytest
from starlette.types import Message, Receive, Scope, Send

from catalog.web.middleware import RequestContextMiddleware

FORGED_THEN_APPENDED = (b"x-forwarded-for", b"203.0.113.9, 127.0.0.2")


async def _ok(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def _logged_client(trusted_proxies: int, caplog: pytest.LogCaptureFixture) -> object:
    middleware = RequestContextMiddleware(_ok, api_name="read_api", trusted_proxies=trusted_proxies)
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

    with caplog.at_level(logging.INFO, logger="catalog.access"):
        asyncio.run(middleware(scope, receive, send))
    (record,) = [r for r in caplog.records if r.name == "catalog.access"]
    return record.__dict__["client"]


def test_behind_one_trusted_proxy_the_client_is_the_address_it_appended(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert _logged_client(1, caplog) == "127.0.0.2"


def test_without_trusted_proxies_the_client_is_the_peer(caplog: pytest.LogCaptureFixture) -> None:
    assert _logged_client(0, caplog) == "127.0.0.1"
