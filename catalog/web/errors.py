"""Exception handlers: a failing dependency is a 503 with Retry-After, never a 500."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from catalog.logs import request_id_var
from catalog.outages import DEPENDENCY_ERRORS, dependency_of

__all__ = [
    "DEPENDENCY_ERRORS",
    "dependency_of",
    "install_error_handlers",
    "unavailable",
    "validation_errors",
]

log = logging.getLogger("catalog.errors")


def unavailable(dependency: str, retry_after_s: int) -> JSONResponse:
    """The 503 answer for a dependency that cannot be reached right now."""
    return JSONResponse(
        {
            "detail": f"{dependency} is unavailable, retry later",
            "dependency": dependency,
            "request_id": request_id_var.get(),
        },
        status_code=503,
        headers={"Retry-After": str(retry_after_s)},
    )


def _printable(value: Any) -> Any:
    """Text that any JSON encoder accepts (lone surrogates from the client replaced)."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list | tuple):
        return [_printable(v) for v in value]
    return value


def validation_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Field paths and messages of a validation failure, without echoing the input back."""
    return [
        {"loc": _printable(list(e["loc"])), "msg": _printable(e["msg"]), "type": e["type"]}
        for e in errors
    ]


def install_error_handlers(app: FastAPI, retry_after_s: int) -> None:
    """Register the handlers that turn dependency failures into 503 and the rest into 500."""

    async def on_dependency_error(request: Request, exc: Exception) -> JSONResponse:
        dependency = dependency_of(exc) or "dependency"
        log.warning("dependency failure", extra={"dependency": dependency, "error": repr(exc)})
        return unavailable(dependency, retry_after_s)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        dependency = dependency_of(exc)
        if dependency:
            return await on_dependency_error(request, exc)
        log.exception("unhandled error", extra={"path": request.url.path})
        return JSONResponse(
            {"detail": "internal error", "request_id": request_id_var.get()}, status_code=500
        )

    async def on_invalid_request(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse({"detail": validation_errors(exc.errors())}, status_code=422)

    app.add_exception_handler(RequestValidationError, on_invalid_request)
    for error_type, _ in DEPENDENCY_ERRORS:
        app.add_exception_handler(error_type, on_dependency_error)
    app.add_exception_handler(Exception, on_unexpected)
