"""Algolia-style secured API keys: restrictions signed with a parent `search` key (pure).

A secured key is `base64(hex(HMAC-SHA256(parent key, params)) + params)`,
where `params` is a URL-encoded query string, as the official clients'
`generateSecuredApiKey` / `generate_secured_api_key` build it. The server
finds the parent by checking the HMAC with each parent key it holds.

Honoured restrictions: `filters` (ANDed to every query), `validUntil` (Unix
seconds), `restrictIndices` (comma-separated names, `*` wildcards) and
`userToken` (the analytics user). Other search parameters are ignored.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

MAX_KEY_CHARS = 8192
_MAC_CHARS = 64
_HEX = re.compile(r"^[0-9a-f]{64}$")


class InvalidRestrictionError(ValueError):
    """A signed restriction the server cannot apply (a bad `validUntil`, say)."""


@dataclass(frozen=True, slots=True)
class Restrictions:
    """What a secured key imposes on every request made with it."""

    filters: str | None = None
    valid_until: int | None = None
    restrict_indices: tuple[str, ...] | None = None
    user_token: str | None = None

    def expired(self, now_s: float) -> bool:
        """Whether `validUntil` has passed."""
        return self.valid_until is not None and now_s >= self.valid_until

    def allows_index(self, index: str) -> bool:
        """Whether `restrictIndices` (if any) names the index, wildcards included."""
        if self.restrict_indices is None:
            return True
        return any(fnmatch.fnmatchcase(index, pattern) for pattern in self.restrict_indices)


def decode(secured_key: str) -> tuple[str, str] | None:
    """(HMAC hex, params) of something shaped like a secured key, else None."""
    if len(secured_key) > MAX_KEY_CHARS:
        return None
    try:
        text = base64.b64decode(secured_key, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    mac, params = text[:_MAC_CHARS], text[_MAC_CHARS:]
    return (mac, params) if _HEX.match(mac) else None


def signature(parent_key: str, params: str) -> str:
    """The HMAC a secured key of `params` carries when made from `parent_key`."""
    return hmac.new(parent_key.encode(), params.encode(), hashlib.sha256).hexdigest()


def signed_by(parent_key: str, mac: str, params: str) -> bool:
    """Whether `mac` is the parent's signature of `params` (constant time)."""
    return hmac.compare_digest(signature(parent_key, params), mac)


def make_secured_key(parent_key: str, params: dict[str, str]) -> str:
    """A secured key as the official clients make it (sorted, `%20` for spaces)."""
    encoded = urlencode(sorted(params.items())).replace("+", "%20")
    return base64.b64encode((signature(parent_key, encoded) + encoded).encode()).decode()


def _one(values: dict[str, list[str]], name: str) -> str | None:
    found = values.get(name)
    return found[-1] if found else None


def restrictions(params: str) -> Restrictions:
    """The restrictions of a verified secured key's params."""
    values = parse_qs(params, keep_blank_values=True)
    valid_until = _one(values, "validUntil")
    indices = _one(values, "restrictIndices")
    try:
        until = int(valid_until) if valid_until is not None else None
    except ValueError as exc:
        raise InvalidRestrictionError("validUntil is not a whole number of seconds") from exc
    names: tuple[str, ...] | None = None
    if indices is not None:
        # the clients join a list with commas; older ones sent a JSON array
        names = tuple(n.strip().strip('"') for n in indices.strip("[]").split(",") if n.strip())
    filters = _one(values, "filters")
    return Restrictions(
        filters=filters or None,
        valid_until=until,
        restrict_indices=names,
        user_token=_one(values, "userToken") or None,
    )
