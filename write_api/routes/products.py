"""Single-product routes: create, replace, patch, delete, read, history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, HTTPException, Path, Query, Request, Response

from catalog.products.commands import CommandResult
from catalog.products.model import ID_PATTERN, Product, ProductCreate, ProductReplace
from catalog.products.storage import is_live
from write_api.auth import KEY_ERRORS, Editor
from write_api.deps import CommandsDep, StoreDep
from write_api.idempotency_route import IdempotencyKey, idempotent
from write_api.responses import change_view, etag, json_response, product_view, tombstone_view
from write_api.schemas import Deleted, HistoryPage

router = APIRouter(prefix="/v1/products", tags=["products"], responses=KEY_ERRORS)
ProductIdPath = Annotated[str, Path(pattern=ID_PATTERN, description="the product id")]
IfMatch = Annotated[
    str | None,
    Header(description='write only if the product has this version, e.g. "3" (412 otherwise)'),
]
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or invalid API key"},
    403: {"description": "the key's role may not write"},
    409: {"description": "conflicting write or Idempotency-Key in use"},
    412: {"description": "If-Match did not match the current version"},
    413: {"description": "body over the size limit"},
    503: {"description": "MongoDB unreachable; retry after Retry-After"},
}


def _answer(result: CommandResult, status: int = 200, location: str | None = None) -> Response:
    headers = {"ETag": etag(result.version)}
    if location:
        headers["Location"] = location
    return json_response(product_view(result.document), status, headers)


@router.post("", status_code=201, response_model=Product, responses=WRITE_ERRORS)
async def create_product(
    request: Request,
    product: ProductCreate,
    principal: Editor,
    commands: CommandsDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Create a product; 409 if a live product has this id."""

    async def run() -> Response:
        result = await commands.upsert(
            product.id, product, actor=principal.key_id, if_match=None, create_only=True
        )
        return _answer(result, 201, f"/v1/products/{product.id}")

    return await idempotent(request, principal, idempotency_key, run)


@router.put(
    "/{product_id}",
    response_model=Product,
    responses={**WRITE_ERRORS, 201: {"model": Product, "description": "created"}},
)
async def replace_product(
    request: Request,
    product_id: ProductIdPath,
    product: ProductReplace,
    principal: Editor,
    commands: CommandsDep,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Create or replace a product (201 when created, 200 when replaced or unchanged)."""
    if product.id is not None and product.id != product_id:
        raise HTTPException(
            422,
            [
                {
                    "loc": ["body", "id"],
                    "msg": "must equal the id in the path",
                    "type": "value_error",
                }
            ],
        )

    async def run() -> Response:
        result = await commands.upsert(
            product_id, product, actor=principal.key_id, if_match=if_match
        )
        created = result.outcome == "created"
        return _answer(
            result, 201 if created else 200, f"/v1/products/{product_id}" if created else None
        )

    return await idempotent(request, principal, idempotency_key, run)


@router.patch(
    "/{product_id}",
    response_model=Product,
    responses={**WRITE_ERRORS, 404: {"description": "no such product"}},
)
async def patch_product(
    request: Request,
    product_id: ProductIdPath,
    patch: Annotated[dict[str, Any], Body(media_type="application/merge-patch+json")],
    principal: Editor,
    commands: CommandsDep,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Change a product with a JSON merge patch (RFC 7386): null removes a field."""

    async def run() -> Response:
        result = await commands.patch(product_id, patch, actor=principal.key_id, if_match=if_match)
        return _answer(result)

    return await idempotent(request, principal, idempotency_key, run)


@router.delete(
    "/{product_id}",
    response_model=Deleted,
    responses={**WRITE_ERRORS, 404: {"description": "no such product"}},
)
async def delete_product(
    product_id: ProductIdPath, principal: Editor, commands: CommandsDep, if_match: IfMatch = None
) -> Response:
    """Delete a product, leaving a versioned tombstone."""
    result = await commands.delete(product_id, actor=principal.key_id, if_match=if_match)
    return json_response(tombstone_view(result.document), headers={"ETag": etag(result.version)})


@router.get(
    "/{product_id}",
    response_model=Product,
    responses={304: {"description": "not modified"}, 404: {"description": "no such product"}},
)
async def get_product(
    product_id: ProductIdPath,
    _: Editor,
    store: StoreDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The product as stored in the source of truth, whatever its status."""
    doc = await store.get(product_id)
    if not is_live(doc):
        raise HTTPException(404, f"no product {product_id!r}")
    assert doc is not None
    tag = etag(doc["version"])
    if if_none_match and tag in {t.strip() for t in if_none_match.split(",")}:
        return Response(status_code=304, headers={"ETag": tag})
    return json_response(product_view(doc), headers={"ETag": tag})


@router.get(
    "/{product_id}/history",
    response_model=HistoryPage,
    responses={404: {"description": "no such product, and no history"}},
)
async def product_history(
    product_id: ProductIdPath,
    _: Editor,
    store: StoreDep,
    before_version: Annotated[
        int | None, Query(ge=1, description="page below this version")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    """The product's changes, newest first: who, when, what changed, resulting version."""
    entries = await store.history(product_id, before_version, limit)
    if not entries and before_version is None:
        raise HTTPException(404, f"no product {product_id!r}")
    oldest = entries[-1]["version"] if entries else None
    next_before = oldest if oldest is not None and oldest > 1 else None
    items = [change_view(e) for e in entries]
    return json_response({"items": items, "next_before_version": next_before})
