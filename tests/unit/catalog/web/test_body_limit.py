"""Body limits: a declared length over the limit is refused unread, a chunked body is cut."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
from starlette.types import Message, Receive, Scope, Send

from catalog.web.body_limit import BodyLimitMiddleware, BodyLimits, BodyTooLargeError

LIMIT = 1000
BULK = ("POST", "/v1/products:bulk")


def _scope(method: str = "POST", path: str = "/v1/search", length: int | None = None) -> Scope:
    headers = [] if length is None else [(b"content-length", str(length).encode())]
    return {"type": "http", "method": method, "path": path, "headers": headers}


class Client:
    """Sends a body in chunks and records what the app answered and how much it read."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.received = 0
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        chunk = self.chunks[self.received] if self.received < len(self.chunks) else b""
        self.received += 1
        more = self.received < len(self.chunks)
        return {"type": "http.request", "body": chunk, "more_body": more}

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int:
        return int(self.sent[0]["status"])

    @property
    def json(self) -> Any:
        return orjson.loads(self.sent[1]["body"])

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.sent[0]["headers"])


async def reading_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Reads the whole body as Starlette does (stops at a disconnect), then answers 200."""
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionResetError("client disconnected")  # as ClientDisconnect would
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def _run(limits: BodyLimits, scope: Scope, client: Client, app: Any = reading_app) -> None:
    asyncio.run(BodyLimitMiddleware(app, limits)(scope, client.receive, client.send))


def test_a_declared_length_over_the_limit_is_413_before_a_byte_is_read() -> None:
    client = Client([b"x" * 10])
    _run(BodyLimits(LIMIT), _scope(length=LIMIT + 1), client)
    assert client.status == 413
    assert client.received == 0
    assert client.json == {"detail": f"the request body may hold at most {LIMIT} bytes"}
    assert client.headers[b"connection"] == b"close"


def test_a_content_length_that_is_no_number_is_400() -> None:
    client = Client([b"x"])
    scope = _scope()
    scope["headers"] = [(b"content-length", b"12abc")]
    _run(BodyLimits(LIMIT), scope, client)
    assert (client.status, client.received) == (400, 0)


def test_a_chunked_body_is_cut_at_the_limit_and_its_rest_never_read() -> None:
    client = Client([b"x" * 400] * 100)
    _run(BodyLimits(LIMIT), _scope(), client)
    assert client.status == 413
    assert client.received == 3  # 1200 bytes seen: the 97 chunks after are never asked for
    assert len(client.sent) == 2  # the app's own answer after the cut is dropped


def test_bodies_within_the_limit_reach_the_app_whole() -> None:
    client = Client([b"x" * 500, b"x" * 500])
    _run(BodyLimits(LIMIT), _scope(length=LIMIT), client)
    assert (client.status, client.sent[1]["body"]) == (200, b"1000")


def test_only_the_exact_method_and_path_get_a_routes_own_limit() -> None:
    limits = BodyLimits(LIMIT, routes={BULK: 10 * LIMIT})
    assert limits.limit_of(*BULK) == 10 * LIMIT
    for method, path in [("PUT", "/v1/products/X:bulk"), ("PUT", BULK[1]), ("POST", "/v1/x:bulk")]:
        assert limits.limit_of(method, path) == LIMIT
        client = Client([b"x"])
        _run(limits, _scope(method, path, length=5 * LIMIT), client)
        assert client.status == 413, (method, path)
    client = Client([b"x" * LIMIT] * 5)
    _run(limits, _scope(*BULK, length=5 * LIMIT), client)
    assert (client.status, client.sent[1]["body"]) == (200, b"5000")


def test_an_api_may_shape_the_413_its_own_way() -> None:
    def algolia(path: str, status: int, message: str) -> dict[str, Any]:
        return {"message": message, "status": status}

    client = Client([b"x"])
    _run(BodyLimits(LIMIT, shape=algolia), _scope(length=LIMIT + 1), client)
    assert client.json["status"] == 413


def test_a_streaming_answer_already_started_gets_the_error_to_report_itself() -> None:
    async def streaming_app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        try:
            while True:
                await receive()
        except BodyTooLargeError as exc:
            await send({"type": "http.response.body", "body": f"cut at {exc.limit}".encode()})

    client = Client([b"x" * 400] * 100)
    _run(BodyLimits(LIMIT), _scope(), client, streaming_app)
    assert (client.status, client.sent[1]["body"], client.received) == (200, b"cut at 1000", 3)


def test_other_scopes_pass_untouched() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    asyncio.run(BodyLimitMiddleware(app, BodyLimits(LIMIT))({"type": "lifespan"}, None, None))  # type: ignore[arg-type]
    assert seen == ["lifespan"]


@pytest.mark.parametrize("length", [0, LIMIT])
def test_a_declared_length_at_most_the_limit_is_read(length: int) -> None:
    client = Client([b"x" * length])
    _run(BodyLimits(LIMIT), _scope(length=length), client)
    assert client.status == 200
