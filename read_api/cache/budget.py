"""Budgets of Elasticsearch work the cache may start: background refreshes and foreground misses.

Refreshes of outdated answers have their own budget (concurrent and per
second), so a burst of distinct misses cannot starve popular keys, and a
storm of outdated keys cannot crowd out misses. Beyond the refresh budget an
outdated answer is served as it is (within the staleness ceiling); beyond
the miss budget a request waits at most `wait_s` for a slot and then gets a
fast 503 with Retry-After instead of piling up.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager


class Overloaded(Exception):
    """The cache's work budget is spent: answered 503 with Retry-After."""


class RefreshBudget:
    """At most `concurrency` refreshes at once and `per_s` started a second (a token bucket)."""

    def __init__(
        self, concurrency: int, per_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.concurrency = concurrency
        self.per_s = per_s
        self._clock = clock
        self._running = 0
        self._tokens = float(max(1.0, per_s))
        self._at = clock()

    @property
    def running(self) -> int:
        """Refreshes running now."""
        return self._running

    def try_start(self) -> bool:
        """Take a slot and a token, or say no at once."""
        now = self._clock()
        burst = max(1.0, self.per_s)
        self._tokens = min(burst, self._tokens + (now - self._at) * self.per_s)
        self._at = now
        if self._running >= self.concurrency or self._tokens < 1:
            return False
        self._tokens -= 1
        self._running += 1
        return True

    def finished(self) -> None:
        """Give the slot back."""
        self._running = max(0, self._running - 1)


class MissBudget:
    """At most `concurrency` foreground computations; a request waits `wait_s` for a slot."""

    def __init__(self, concurrency: int, wait_s: float) -> None:
        self.wait_s = wait_s
        self._slots = asyncio.Semaphore(concurrency)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a slot while computing; Overloaded if none frees up in time."""
        try:
            async with asyncio.timeout(self.wait_s):
                await self._slots.acquire()
        except TimeoutError as exc:
            raise Overloaded from exc
        try:
            yield
        finally:
            self._slots.release()
