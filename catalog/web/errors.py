"""Exception handlers: a failing dependency is a 503 with Retry-After, never a 500."""

from __future__ import annotations

import logging

import elasticsearch.exceptions as es_errors
import pymongo.errors as mongo_errors
import redis.exceptions as redis_errors
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from catalog.logs import request_id_var

log = logging.getLogger("catalog.errors")

# which dependency an exception type points at
DEPENDENCY_ERRORS: tuple[tuple[type[Exception], str], ...] = (
    (mongo_errors.ConnectionFailure, "mongodb"),
    (mongo_errors.ExecutionTimeout, "mongodb"),
    (es_errors.ConnectionError, "elasticsearch"),
    (redis_errors.ConnectionError, "redis"),
    (redis_errors.TimeoutError, "redis"),
)


def dependency_of(exc: BaseException) -> str | None:
    """Name the dependency whose failure raised `exc`, or None if it is not one."""
    for error_type, name in DEPENDENCY_ERRORS:
        if isinstance(exc, error_type):
            return name
    return None


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

    for error_type, _ in DEPENDENCY_ERRORS:
        app.add_exception_handler(error_type, on_dependency_error)
    app.add_exception_handler(Exception, on_unexpected)
