"""Bearer API keys on the write API: 401 without a valid key, 403 for a role that may not act."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from catalog.apikeys import Principal, Role, verify_key
from catalog.web.deps import ClientsDep

bearer = HTTPBearer(auto_error=False, description="An API key from `catalog keys create`")
_CACHE_LIMIT = 10_000


class KeyCache:
    """Recently verified keys, so most requests need no key lookup in MongoDB."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, key: str) -> Principal | None:
        """A principal verified less than ttl_s ago."""
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key: str, principal: Principal) -> None:
        """Remember a verified key."""
        if len(self._entries) >= _CACHE_LIMIT:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + self.ttl_s, principal)


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
    cache: KeyCache = request.app.state.key_cache
    principal = cache.get(credentials.credentials)
    if principal is None:
        principal = await verify_key(clients.db, credentials.credentials)
        if principal is None:
            raise _unauthorized("the API key is not valid or was revoked")
        cache.put(credentials.credentials, principal)
    return principal


def require(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting only callers with one of `roles`."""

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in roles:
            raise HTTPException(403, f"role {principal.role!r} may not do this")
        return principal

    return check


Editor = Annotated[Principal, Depends(require("editor", "admin"))]
Admin = Annotated[Principal, Depends(require("admin"))]
