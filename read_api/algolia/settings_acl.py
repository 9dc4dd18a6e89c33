"""Who may read an index's settings, synonyms and rules on the Algolia protocol.

Algolia keeps them behind its `settings` ACL, not a search-only key: here a
key that may write (role editor or admin). Editors change them on the write
API (`/v1/settings`, `/v1/synonyms`, `/v1/rules`).
"""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import APIRouter, Request
from pydantic import BaseModel, ValidationError

from read_api.access import access_of
from read_api.algolia.errors import AlgoliaError
from read_api.algolia.indices import sort_of
from read_api.algolia.routes import ALGOLIA_ERRORS, allow_index, json_body

P = TypeVar("P", bound=BaseModel)

SETTINGS_ERRORS: dict[int | str, dict[str, Any]] = {
    **ALGOLIA_ERRORS,
    401: {"description": "no API key: `{message, status}`"},
    403: {"description": "the key may not read settings, or not this index"},
}


def settings_router() -> APIRouter:
    """A router of settings reads under `/1/indexes`."""
    return APIRouter(prefix="/1/indexes", tags=["algolia"], responses=SETTINGS_ERRORS)


def require_settings_reader(request: Request, index: str, what: str) -> None:
    """404 for an unknown index, 401 without a key, 403 for a key that may not read `what`."""
    sort_of(index)
    allow_index(request, index)
    access = access_of(request.scope)
    if access.principal is None:
        raise AlgoliaError(401, "an API key that may read settings is required")
    if not access.may("write"):
        raise AlgoliaError(403, f"this API key may not read {what}")


async def read_params(request: Request, model: type[P]) -> P:
    """The body's search parameters of a settings read; 400 naming the first bad one."""
    try:
        return model.model_validate(await json_body(request))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise AlgoliaError(400, f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None
