"""Algolia-shaped errors: `{"message": …, "status": …}` for every answer under `/1/`.

The native API keeps its own shapes (422 with field paths, `detail`); the
handlers installed here wrap the app's handlers and reshape only answers to
Algolia paths, keeping their status and headers (Retry-After on a 503).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import JSONResponse, Response

ALGOLIA_PREFIX = "/1/"
Handler = Callable[[Request, Any], Awaitable[Response] | Response]


class AlgoliaError(Exception):
    """A request Algolia would refuse: answered with its status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """An error answer in Algolia's shape."""
    return JSONResponse({"message": message, "status": status}, status, headers=headers)


def error_shape(path: str, status: int, message: str) -> dict[str, Any]:
    """An error body for an answer sent before routing: Algolia's shape on `/1/` paths."""
    if path.startswith(ALGOLIA_PREFIX):
        return {"message": message, "status": status}
    return {"detail": message}


def is_algolia(request: Request) -> bool:
    """Whether a request is one of the Algolia protocol's."""
    return request.url.path.startswith(ALGOLIA_PREFIX)


def _message(status: int, body: bytes) -> str:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        data = None
    detail = data.get("detail") if isinstance(data, dict) else None
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        return str(detail[0].get("msg", "invalid request"))
    return {404: "Not Found", 405: "Method Not Allowed"}.get(status, "error")


def reshaped(response: Response) -> Response:
    """A native error answer in Algolia's shape, with its status and headers."""
    if response.status_code < 400:
        return response
    headers = {
        k: v
        for k, v in response.headers.items()
        if k.lower() not in ("content-length", "content-type")
    }
    status = 400 if response.status_code == 422 else response.status_code
    return error_response(status, _message(response.status_code, bytes(response.body)), headers)


def _scoped(native: Handler) -> Handler:
    async def handle(request: Request, exc: Any) -> Response:
        answer = native(request, exc)
        response = await answer if isinstance(answer, Awaitable) else answer
        return reshaped(response) if is_algolia(request) else response

    return handle


def _validation_message(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "invalid request"
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"] if part not in ("body", "query", "path"))
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def install_algolia_errors(app: FastAPI) -> None:
    """Answer errors on `/1/` paths in Algolia's shape; other paths keep their handlers."""
    for error_type, handler in list(app.exception_handlers.items()):
        app.exception_handlers[error_type] = _scoped(handler)
    native_invalid = app.exception_handlers.get(RequestValidationError)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if is_algolia(request) or native_invalid is None:
            return error_response(400, _validation_message(exc))
        answer = native_invalid(request, exc)
        return await answer if isinstance(answer, Awaitable) else answer

    async def algolia_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AlgoliaError)
        return error_response(exc.status, exc.message)

    app.exception_handlers[RequestValidationError] = invalid_request
    app.exception_handlers[AlgoliaError] = algolia_error
