"""HTTP answers for the write side's domain errors."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from write_api.commands import (
    AlreadyExists,
    InvalidProduct,
    NotFound,
    PreconditionFailed,
    WriteConflict,
)


def _detail(status: int, detail: object, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def install_domain_handlers(app: FastAPI) -> None:
    """Map command errors to 404, 409, 412 and 422."""

    async def not_found(request: Request, exc: Exception) -> JSONResponse:
        return _detail(404, f"no product {request.path_params.get('product_id')!r}")

    async def exists(request: Request, exc: Exception) -> JSONResponse:
        return _detail(409, "a product with this id exists; use PUT to replace it")

    async def precondition(request: Request, exc: Exception) -> JSONResponse:
        return _detail(412, "If-Match does not match the product's current version")

    async def conflict(request: Request, exc: Exception) -> JSONResponse:
        return _detail(409, "the product kept changing concurrently; retry", {"Retry-After": "1"})

    async def invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidProduct)
        errors = [
            {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors
        ]
        return _detail(422, errors)

    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(AlreadyExists, exists)
    app.add_exception_handler(PreconditionFailed, precondition)
    app.add_exception_handler(WriteConflict, conflict)
    app.add_exception_handler(InvalidProduct, invalid)
