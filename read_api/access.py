"""Who is asking the read API: no key, a verified key of a role, or a secured key.

A key arrives as `Authorization: Bearer <key>`, in the key header
(`X-API-Key`), or the Algolia way (`X-Algolia-API-Key`, or
`x-algolia-api-key` in the query string). No key, or the public placeholder
(`CATALOG_PUBLIC_API_KEY`, the storefront's `public`), is anonymous; any
other key must be valid: a `csk_` key that is not revoked, or a secured key
signed by a `search` key and not expired. Anything else is refused with 403
before routing (Algolia's error shape under `/1/`), never taken as anonymous.

A secured key's `filters` become Elasticsearch clauses added to every
request of the read model (`ReadModel.restrict`), its answers are cached
apart from everybody else's (`Access.scoped`), and `restrictIndices` limits
the Algolia index names it may name.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qs

import orjson
from fastapi import Depends, HTTPException, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from catalog.apikeys import ParentKey, Power, Principal, parse_key
from catalog.key_checks import KeyChecker, _Unknown
from catalog.secured_keys import (
    InvalidRestrictionError,
    Restrictions,
    decode,
    restrictions,
    signed_by,
)
from catalog.settings import Settings
from catalog.web.forwarded import header
from read_api.algolia.filter_language import FilterLanguageError, parse_filters
from read_api.open_paths import is_open
from read_api.query.fields import UnknownField
from read_api.query.filters import Clause, group_clauses

ALGOLIA_KEY_HEADER = b"x-algolia-api-key"
ALGOLIA_PREFIX = "/1/"
STATE_KEY = "access"
_SECURED_LIMIT = 10_000
# a secured key no parent signed reads the parents again if the list is older than this
# (a search key made a moment ago), so at most 20 such reads a second per process
PARENTS_RECHECK_S = 0.05


@dataclass(frozen=True, slots=True)
class Access:
    """The caller of one request, and what its key restricts."""

    principal: Principal | None = None
    restrictions: Restrictions | None = None
    clauses: tuple[Clause, ...] = ()
    scope: str = ""

    def may(self, power: Power) -> bool:
        """Whether the caller's key (a secured key: its parent's) has `power`."""
        return self.principal is not None and self.principal.may(power)

    def scoped(self, cache_key: str) -> str:
        """The cache key of an answer for this caller: restricted answers are kept apart."""
        return f"{cache_key}:{self.scope}" if self.scope else cache_key

    def allows_index(self, index: str) -> bool:
        """Whether the key may name the index (`restrictIndices`)."""
        return self.restrictions is None or self.restrictions.allows_index(index)

    @property
    def restricts_indices(self) -> bool:
        """Whether the key names the indices it may search (`restrictIndices`)."""
        return self.restrictions is not None and self.restrictions.restrict_indices is not None

    @property
    def user_token(self) -> str | None:
        """The analytics user a secured key fixes, if any."""
        return self.restrictions.user_token if self.restrictions else None


ANONYMOUS = Access()


class RefusedError(Exception):
    """A key the read API does not accept: answered with its status before routing."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def algolia_key(scope: Scope) -> str | None:
    """The Algolia API key of a request: its header, or the URL as Algolia's JS client sends it."""
    key = header(scope, ALGOLIA_KEY_HEADER)
    if key:
        return key
    raw = bytes(scope.get("query_string", b""))
    if ALGOLIA_KEY_HEADER not in raw:  # most requests: no parse (it was 7 % of a cached search)
        return None
    query = parse_qs(raw.decode("latin-1"))
    values = query.get(ALGOLIA_KEY_HEADER.decode())
    return values[0] if values else None


_KEY_IN_SCOPE = "catalog.presented_key"  # the key a request presented, once found


def presented_key(scope: Scope, key_header: bytes) -> str | None:
    """The key a request carries, wherever it carries it; None without one."""
    authorization = header(scope, b"authorization")
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return header(scope, key_header) or algolia_key(scope)


def restriction_clauses(filters: str | None) -> tuple[Clause, ...]:
    """The clauses of a secured key's `filters`, all of which every hit must satisfy."""
    if not filters:
        return ()
    return tuple(group_clauses(parse_filters(filters)).values())


def _restricted(parent: Principal, params: str) -> Access:
    try:
        limits = restrictions(params)
        clauses = restriction_clauses(limits.filters)
    except (InvalidRestrictionError, FilterLanguageError, UnknownField) as exc:
        message = f"the secured API key holds restrictions that cannot apply: {exc}"
        raise RefusedError(403, message) from None
    material = orjson.dumps([limits.filters, limits.restrict_indices])
    digest = hashlib.sha256(material).hexdigest()[:24]
    scope = f"restricted-{digest}" if clauses else ""
    return Access(parent, limits, clauses, scope)


class AccessResolver:
    """Turns a request's key into its Access, remembering answers like the KeyChecker."""

    def __init__(self, checker: KeyChecker, settings: Settings) -> None:
        self.checker = checker
        self.key_header = settings.rate_limit_key_header.lower().encode("latin-1")
        self.public_key = settings.public_api_key
        self.requires_key = settings.search_requires_key
        self._secured: dict[str, tuple[float, Access | None]] = {}

    def _key(self, scope: Scope) -> str | None:
        # found once per request: the rate limiter's peek and the resolve both ask
        if _KEY_IN_SCOPE in scope:
            known: str | None = scope[_KEY_IN_SCOPE]
            return known
        key = presented_key(scope, self.key_header)
        found = None if key is None or (self.public_key and key == self.public_key) else key
        scope[_KEY_IN_SCOPE] = found
        return found

    def peek(self, scope: Scope) -> Access | None:
        """The caller as far as this process verified it before (for the rate limiter).

        No lookup is made, and a key verified a while ago still counts: the
        request itself is checked afresh by `resolve`.
        """
        key = self._key(scope)
        if key is None:
            return ANONYMOUS
        if parse_key(key) is not None:
            known = self.checker.peek(key, stale=True)
            if isinstance(known, _Unknown) or known is None:
                return None
            return Access(known)
        entry = self._secured.get(key)
        return entry[1] if entry is not None else None

    async def resolve(self, scope: Scope) -> Access:
        """The caller of a request; RefusedError for a key that is not valid."""
        key = self._key(scope)
        if key is None:
            return ANONYMOUS
        if parse_key(key) is not None:
            principal = await self.checker.check(key)
            if principal is None:
                raise RefusedError(403, "Invalid Application-ID or API key")
            return Access(principal)
        access = await self._secured_access(key)
        if access is None:
            raise RefusedError(403, "Invalid Application-ID or API key")
        if access.restrictions is not None and access.restrictions.expired(time.time()):
            raise RefusedError(403, "The secured API key has expired (validUntil)")
        return access

    async def _signer(self, mac: str, params: str) -> ParentKey | None:
        """The parent key that signed the params; the list read again if none of it did."""
        for max_age_s in (None, PARENTS_RECHECK_S):
            for parent in await self.checker.parents(max_age_s):
                if signed_by(parent.key, mac, params):
                    return parent
        return None

    async def _secured_access(self, key: str) -> Access | None:
        entry = self._secured.get(key)
        if entry is not None and entry[0] >= self.checker.clock():
            return entry[1]
        access: Access | None = None
        decoded = decode(key)
        if decoded is not None:
            mac, params = decoded
            parent = await self._signer(mac, params)
            if parent is not None:
                access = _restricted(parent.principal, params)
        if len(self._secured) >= _SECURED_LIMIT:
            self._secured.clear()
        self._secured[key] = (self.checker.clock() + self.checker.ttl_s, access)
        return access


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    algolia = scope["path"].startswith(ALGOLIA_PREFIX)
    payload: dict[str, Any] = (
        {"message": message, "status": status} if algolia else {"detail": message}
    )
    body = orjson.dumps(payload)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class AccessMiddleware:
    """Resolves the caller of every request (403 for a key that is not valid) into its state."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Resolve, refuse, or pass on one HTTP request."""
        resolver: AccessResolver | None = None
        if scope["type"] == "http" and not is_open(scope["path"]):
            resolver = getattr(scope["app"].state, "access_resolver", None)
        if resolver is None:
            await self.app(scope, receive, send)
            return
        try:
            access = await resolver.resolve(scope)
        except RefusedError as refused:
            await _refuse(scope, send, refused.status, refused.message)
            return
        if resolver.requires_key and not access.may("search"):
            await _refuse(scope, send, 401, "this shop needs a search key: X-Algolia-API-Key")
            return
        scope.setdefault("state", {})[STATE_KEY] = access
        await self.app(scope, receive, send)


def access_of(scope: Scope) -> Access:
    """The caller the middleware resolved for a request (anonymous where it did not run)."""
    found = scope.get("state", {}).get(STATE_KEY)
    return found if isinstance(found, Access) else ANONYMOUS


async def current_access(request: Request) -> Access:
    """Dependency: the caller of this request."""
    return access_of(request.scope)


AccessDep = Annotated[Access, Depends(current_access)]


def require(power: Power) -> Any:
    """A dependency admitting only callers whose key has `power` (401 without a key, else 403)."""

    async def check(access: AccessDep) -> Access:
        if access.principal is None:
            raise HTTPException(
                401,
                "an API key is required: Authorization: Bearer <key>",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not access.may(power):
            raise HTTPException(403, f"role {access.principal.role!r} may not do this")
        return access

    return Depends(check)
