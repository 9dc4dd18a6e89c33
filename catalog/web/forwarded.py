"""The client's address behind trusted proxies, for rate limits and access logs alike.

Each trusted proxy appends the address it was connected from to
`X-Forwarded-For`; with N of them in front, the N-th entry from the end is
the one the outermost proxy appended, which a client cannot forge. Entries
before it are whatever the client sent and are never used.
"""

from __future__ import annotations

from starlette.types import Scope

FORWARDED_FOR_HEADER = b"x-forwarded-for"


def header(scope: Scope, name: bytes) -> str | None:
    """A request header of an ASGI scope by its lower-case name, or None."""
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def client_address(scope: Scope, trusted_proxies: int) -> str:
    """The address a request came from: the one the trusted proxies appended, else the peer."""
    if trusted_proxies > 0:
        forwarded = [a.strip() for a in (header(scope, FORWARDED_FOR_HEADER) or "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= trusted_proxies:
            return forwarded[-trusted_proxies]
    client = scope.get("client")
    return str(client[0]) if client else "unknown"
