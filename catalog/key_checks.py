"""Checking presented API keys, with a short per-process memory of the answers.

A process remembers each key it checked (valid or not) and the parent keys
of secured keys for `CATALOG_AUTH_CACHE_S` (0.5 s by default): a busy key
costs one MongoDB read a second at most, and a revoked key is refused in
every process within that time and one lookup. Refused keys are remembered
too, so a client repeating a wrong key does not cost a read per request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

from pymongo.asynchronous.database import AsyncDatabase

from catalog.apikeys import ParentKey, Principal, parent_keys, verify_key
from catalog.products.storage import Document
from catalog.sealing import Sealer

MAX_REMEMBERED: Final = 10_000


class _Unknown:
    """Nothing remembered for a key: it must be looked up."""


UNKNOWN: Final = _Unknown()


class KeyChecker:
    """Verifies keys against MongoDB and remembers the answers for `ttl_s`."""

    def __init__(
        self,
        db: AsyncDatabase[Document],
        ttl_s: float,
        sealer: Sealer | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.ttl_s = ttl_s
        self.sealer = sealer
        self.clock = clock
        self._keys: dict[str, tuple[float, Principal | None]] = {}
        self._parents: tuple[float, list[ParentKey]] | None = None

    def peek(self, key: str, *, stale: bool = False) -> Principal | _Unknown | None:
        """The remembered answer for a key, or UNKNOWN (no lookup made).

        `stale` also returns answers past their time: good enough to name a
        rate-limit bucket (the request is still checked), never to admit one.
        """
        entry = self._keys.get(key)
        if entry is None or (entry[0] < self.clock() and not stale):
            return UNKNOWN
        return entry[1]

    async def check(self, key: str) -> Principal | None:
        """The principal of a valid, unrevoked key; None for any other key."""
        known = self.peek(key)
        if not isinstance(known, _Unknown):
            return known
        principal = await verify_key(self.db, key)
        if len(self._keys) >= MAX_REMEMBERED:
            self._keys.clear()
        self._keys[key] = (self.clock() + self.ttl_s, principal)
        return principal

    async def parents(self, max_age_s: float | None = None) -> list[ParentKey]:
        """The unrevoked parent (`search`) keys whole, read at most once per `ttl_s`.

        `max_age_s` asks for a list read at most that long ago (a secured key
        matching none of the parents read a moment ago may be a new key's).
        """
        now = self.clock()
        age = self.ttl_s if max_age_s is None else min(max_age_s, self.ttl_s)
        if self._parents is None or self._parents[0] - self.ttl_s + age < now:
            self._parents = (now + self.ttl_s, await parent_keys(self.db, self.sealer))
        return self._parents[1]
