"""HTTP answers for the write side's domain errors."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from catalog.images.decoding import InvalidImage, WrongType
from catalog.products.commands import (
    AlreadyExists,
    InvalidProduct,
    NotFound,
    PreconditionFailed,
    WriteConflict,
)
from write_api.image_commands import ImageNotFound


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

    async def bad_image(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidImage)
        loc = ["header", "content-type"] if isinstance(exc, WrongType) else ["body"]
        kind = type(exc).__name__
        return _detail(exc.status, [{"loc": loc, "msg": str(exc), "type": kind}])

    async def no_image(request: Request, exc: Exception) -> JSONResponse:
        return _detail(404, f"the product has no image {request.path_params.get('image_id')!r}")

    app.add_exception_handler(InvalidImage, bad_image)
    app.add_exception_handler(ImageNotFound, no_image)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(AlreadyExists, exists)
    app.add_exception_handler(PreconditionFailed, precondition)
    app.add_exception_handler(WriteConflict, conflict)
    app.add_exception_handler(InvalidProduct, invalid)
