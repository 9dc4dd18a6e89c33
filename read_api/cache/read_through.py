"""The read-through cache: hits from Redis, one search per burst of misses, stale while refreshing.

A request looks up its key and the current generation in one round trip.
An entry of the current generation is a hit. An entry of the previous
generation, while that generation changed less than `stale_window_ms` ago,
starts one computation that refreshes it; a request waits up to
`refresh_wait_s` for it and then serves the old answer as stale, so a quick
refresh is seen at once and a slow one never holds the answer up. Anything
else is a miss: concurrent misses of one key in this process share one
computation (an asyncio task), and across processes a short Redis lock lets
one compute while the others poll for its entry, for at most `lock_wait_s`,
then compute themselves. Redis failing or slower than `redis_timeout_s`
opens the breaker: requests bypass the cache and are only slower.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal, TypeVar

from redis.exceptions import RedisError

from catalog.settings import Settings
from read_api.cache.breaker import RedisBreaker
from read_api.cache.metrics import CACHE_COALESCED, CACHE_REQUESTS
from read_api.cache.store import Answer, CacheStore, Entry, freshness

log = logging.getLogger(__name__)
T = TypeVar("T")
Compute = Callable[[], Awaitable[Answer]]
CacheState = Literal["hit", "miss", "stale", "bypass"]
CACHEABLE_STATUSES = frozenset({200, 404})
POLL_S = 0.02
Flight = tuple[str, int]


class CacheUnavailable(Exception):
    """Redis failed or was too slow; the request goes on without the cache."""


@dataclass(frozen=True, slots=True)
class Served:
    """An answer and where it came from (the `X-Cache` header)."""

    answer: Answer
    state: CacheState


@dataclass(frozen=True, slots=True)
class CachePolicy:
    """The cache's bounds, from the settings."""

    enabled: bool
    ttl_ms: int
    stale_window_ms: int
    lock_wait_s: float
    redis_timeout_s: float
    # how long a request finding the previous generation's answer waits for the refresh
    refresh_wait_s: float = 0.0

    @classmethod
    def from_settings(cls, settings: Settings) -> CachePolicy:
        """The policy the settings describe."""
        return cls(
            enabled=settings.cache_enabled,
            ttl_ms=int(settings.cache_ttl_s * 1000),
            stale_window_ms=int(settings.cache_stale_window_s * 1000),
            lock_wait_s=settings.cache_lock_wait_s,
            redis_timeout_s=settings.cache_redis_timeout_s,
            refresh_wait_s=settings.cache_refresh_wait_s,
        )


class ReadCache:
    """Serves answers from Redis, computing each missing one once."""

    def __init__(self, store: CacheStore, breaker: RedisBreaker, policy: CachePolicy) -> None:
        self.store = store
        self.breaker = breaker
        self.policy = policy
        self._flights: dict[Flight, asyncio.Task[Answer]] = {}

    async def fetch(self, key: str, compute: Compute, *, read: bool = True) -> Served:
        """The answer for `key`; `read=False` (Cache-Control: no-cache) computes and stores anew."""
        served = await self._fetch(key, compute, read)
        CACHE_REQUESTS.labels(served.state).inc()
        return served

    async def _fetch(self, key: str, compute: Compute, read: bool) -> Served:
        if not self.policy.enabled or not self.breaker.allow():
            return Served(await compute(), "bypass")
        try:
            found = await self._redis(self.store.lookup(key))
        except CacheUnavailable:
            return Served(await compute(), "bypass")
        if not read:
            answer = await compute()
            await self._put(key, found.generation, answer, token="")
            return Served(answer, "miss")
        state = freshness(found, self.policy.stale_window_ms)
        if found.entry is not None and state != "miss":
            if state == "stale":
                refresh = self._flight(key, found.generation, compute)  # goes on regardless
                if (fresh := await self._landed_within(refresh)) is not None:
                    return Served(fresh, "miss")
            return Served(found.entry.answer, state)
        if (key, found.generation) in self._flights:
            CACHE_COALESCED.labels("flight").inc()
        task = self._flight(key, found.generation, compute)
        # a client that goes away must not cancel the computation others wait for
        return Served(await asyncio.shield(task), "miss")

    def _flight(self, key: str, generation: int, compute: Compute) -> asyncio.Task[Answer]:
        flight = (key, generation)
        task = self._flights.get(flight)
        if task is None:
            task = asyncio.create_task(self._lead(key, generation, compute))
            self._flights[flight] = task
            task.add_done_callback(partial(self._landed, flight))
        return task

    async def _landed_within(self, refresh: asyncio.Task[Answer]) -> Answer | None:
        """The refreshed answer if it lands within the refresh wait; never cancels it."""
        if self.policy.refresh_wait_s <= 0:
            return None
        await asyncio.wait({refresh}, timeout=self.policy.refresh_wait_s)
        if refresh.done() and not refresh.cancelled() and refresh.exception() is None:
            return refresh.result()
        return None

    def _landed(self, flight: Flight, task: asyncio.Task[Answer]) -> None:
        self._flights.pop(flight, None)
        if not task.cancelled() and task.exception() is not None:
            # awaiting requests report it; a background refresh only leaves the old entry
            log.debug("cache computation failed", extra={"error": repr(task.exception())})

    async def _lead(self, key: str, generation: int, compute: Compute) -> Answer:
        token = secrets.token_hex(8)
        try:
            mine = await self._redis(
                self.store.lock(key, generation, token, int(self.policy.lock_wait_s * 1000))
            )
            if not mine:
                other = await self._wait_for_other(key, generation)
                if other is not None:
                    CACHE_COALESCED.labels("lock").inc()
                    return other.answer
        except CacheUnavailable:
            return await compute()
        stored = False
        try:
            answer = await compute()
            stored = await self._put(key, generation, answer, token if mine else "")
            return answer
        finally:
            if mine and not stored and not self.breaker.is_open:
                with contextlib.suppress(CacheUnavailable):
                    await self._redis(self.store.release(key, generation, token))

    async def _wait_for_other(self, key: str, generation: int) -> Entry | None:
        """The entry another process is computing, if it lands within the bounded wait."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.policy.lock_wait_s
        while loop.time() < deadline:
            await asyncio.sleep(POLL_S)
            entry, locked = await self._redis(self.store.entry_or_lock(key, generation))
            if entry is not None and entry.generation >= generation:
                return entry
            if not locked:  # the other one failed or gave up
                return None
        return None

    async def _put(self, key: str, generation: int, answer: Answer, token: str) -> bool:
        if answer.status not in CACHEABLE_STATUSES or self.breaker.is_open:
            return False
        try:
            await self._redis(self.store.put(key, generation, answer, self.policy.ttl_ms, token))
        except CacheUnavailable:
            return False
        return True

    async def _redis(self, call: Awaitable[T]) -> T:
        try:
            async with asyncio.timeout(self.policy.redis_timeout_s):
                result = await call
        except (RedisError, OSError, TimeoutError) as exc:
            self.breaker.failed(exc)
            raise CacheUnavailable from exc
        self.breaker.succeeded()
        return result

    async def close(self) -> None:
        """Stop computations still running (at shutdown)."""
        tasks = list(self._flights.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
