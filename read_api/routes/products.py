"""`/v1/products/{id}`: one active product."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from catalog.products.model import ID_PATTERN
from read_api import views
from read_api.cache.http import CachedAnswersDep
from read_api.cache.keys import product_key
from read_api.deps import NATIVE_INDEX_CHECK, ReadModelDep
from read_api.routes.responses import READ_ERRORS
from read_api.schemas import Hit

router = APIRouter(prefix="/v1/products", tags=["products"], dependencies=[NATIVE_INDEX_CHECK])


@router.get(
    "/{product_id}",
    responses={**READ_ERRORS, 404: {"description": "no active product with this id"}},
    response_model=Hit,
)
async def get_product(
    model: ReadModelDep,
    cached: CachedAnswersDep,
    product_id: Annotated[str, Path(pattern=ID_PATTERN, description="the product id")],
) -> Response:
    """An active product; drafts, archived and deleted products are 404."""
    return await cached.respond(
        product_key(product_id),
        lambda: views.product(model, product_id),
        not_found_detail=f"no product {product_id!r}",
    )
