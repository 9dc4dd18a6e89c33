"""Product image routes: upload (raw or multipart) and delete; reorder is a PATCH of `images`."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from catalog.images.decoding import ACCEPTED_TYPES
from catalog.products.model import ID_PATTERN, IMAGE_ID_PATTERN, Product
from write_api.auth import KEY_ERRORS, Editor
from write_api.deps import ImageCommandsDep
from write_api.idempotency_route import IdempotencyKey, idempotent
from write_api.image_uploads import receive
from write_api.responses import etag, json_response, product_view
from write_api.routes.products import WRITE_ERRORS, IfMatch, ProductIdPath
from write_api.schemas import UploadedImage

router = APIRouter(prefix="/v1/products", tags=["images"], responses=KEY_ERRORS)
# the upload route's path, for its own body limit (write_api.app)
UPLOAD_PATH = re.compile(r"/v1/products/" + ID_PATTERN.strip("^$") + r"/images")
IMAGE_ERRORS: dict[int | str, dict[str, Any]] = {
    **WRITE_ERRORS,
    404: {"description": "no such product, or no such image in it"},
    415: {"description": "not an accepted image type, or not the type declared"},
    422: {"description": "not an image, corrupt, too many pixels, or too many images"},
    503: {"description": "MongoDB or the object store unreachable; retry after Retry-After"},
}
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            **{t: {"schema": {"type": "string", "format": "binary"}} for t in ACCEPTED_TYPES},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "alt": {"type": "string", "maxLength": 500},
                    },
                }
            },
        },
    }
}
ImageIdPath = Annotated[str, Path(pattern=IMAGE_ID_PATTERN, description="the image's id")]


@router.post(
    "/{product_id}/images",
    status_code=201,
    response_model=UploadedImage,
    responses={**IMAGE_ERRORS, 200: {"description": "the product already has this image"}},
    openapi_extra=_UPLOAD_BODY,
)
async def upload_image(
    request: Request,
    product_id: ProductIdPath,
    principal: Editor,
    images: ImageCommandsDep,
    alt: Annotated[str | None, Query(max_length=500, description="alt text (raw uploads)")] = None,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Upload an image (raw `image/*` body, or multipart `file` + `alt`) and add it to the
    product: 201 with the image and the product's new version (ETag)."""
    upload = await receive(request, images.settings.image_max_bytes, alt)
    try:

        async def run() -> Response:
            added = await images.add(product_id, upload, actor=principal.key_id, if_match=if_match)
            body = {
                **added.image,
                "content_type": added.content_type,
                "bytes": added.size,
                "product_id": product_id,
                "version": added.result.version,
            }
            status = 200 if added.result.outcome == "unchanged" else 201
            return json_response(body, status, {"ETag": etag(added.result.version)})

        return await idempotent(request, principal, idempotency_key, run, body=upload.fingerprint)
    finally:
        upload.close()


@router.delete("/{product_id}/images/{image_id}", response_model=Product, responses=IMAGE_ERRORS)
async def delete_image(
    product_id: ProductIdPath,
    image_id: ImageIdPath,
    principal: Editor,
    images: ImageCommandsDep,
    if_match: IfMatch = None,
) -> Response:
    """Remove an image from the product; the product's new state answers."""
    result = await images.remove(product_id, image_id, actor=principal.key_id, if_match=if_match)
    return json_response(product_view(result.document), headers={"ETag": etag(result.version)})
