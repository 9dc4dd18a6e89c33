"""Bearer API keys on the write API: 401 without a valid key, 403 for a role that may not act."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from catalog.apikeys import Power, Principal
from catalog.key_checks import KeyChecker
from catalog.web.deps import ClientsDep

# every route behind a key answers these (on each router of the write API)
KEY_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or invalid API key"},
    403: {"description": "the key's role may not do this"},
}
bearer = HTTPBearer(auto_error=False, description="An API key from `catalog keys create`")


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})


async def current_principal(
    request: Request,
    clients: ClientsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The caller behind the request's bearer key."""
    if credentials is None:
        raise _unauthorized("an API key is required: Authorization: Bearer <key>")
    checker: KeyChecker = request.app.state.key_checker
    principal = await checker.check(credentials.credentials)
    if principal is None:
        raise _unauthorized("the API key is not valid or was revoked")
    return principal


def require(power: Power) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting only callers whose role has `power` (catalog.apikeys.POWERS)."""

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.may(power):
            raise HTTPException(403, f"role {principal.role!r} may not do this")
        return principal

    return check


Editor = Annotated[Principal, Depends(require("write"))]
Admin = Annotated[Principal, Depends(require("manage_keys"))]
SyncReader = Annotated[Principal, Depends(require("read_sync"))]
