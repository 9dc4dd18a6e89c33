"""The read-through cache: hits from memory or Redis, bounded staleness, budgeted refreshes.

A request first asks the in-process tier (no round trip), then Redis (one
round trip: the entry with the current generation and epoch). An entry of
the current generation is a hit. An outdated one (an older generation of
the same epoch) younger than the staleness ceiling is served as `stale`
while one request refreshes it in the background: one per process (an
asyncio task) and one across processes (a Redis lock; whoever does not get
it serves the old answer). Refreshes draw on their own budget; beyond it the
outdated answer is served as it is. The request that starts a refresh waits
up to `refresh_wait_s` for it, so a quick refresh is seen at once.

Anything else is a miss: concurrent misses of one key in this process share
one computation, across processes a short lock lets one compute while the
others poll for its entry (at most `lock_wait_s`). Misses draw on the miss
budget; beyond it a request gets Overloaded (503, Retry-After). Redis failing
or slower than `redis_timeout_s` opens the breaker: requests bypass the
cache and are only slower.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, TypeVar

from redis.exceptions import RedisError

from catalog.settings import Settings
from read_api.cache.breaker import RedisBreaker
from read_api.cache.budget import MissBudget, RefreshBudget
from read_api.cache.local import LocalEntries, StateWatch
from read_api.cache.metrics import (
    CACHE_COALESCED,
    CACHE_REFRESHES,
    CACHE_REQUESTS,
    CACHE_STALENESS,
)
from read_api.cache.store import Answer, CacheStore, Entry, State, age_ms, freshness

log = logging.getLogger(__name__)
T = TypeVar("T")
Compute = Callable[[], Awaitable[Answer]]
CacheState = Literal["hit", "miss", "stale", "bypass"]
Tier = Literal["local", "redis", "none"]
CACHEABLE_STATUSES = frozenset({200, 404})
POLL_S = 0.02
STATE_TRUSTED_S = 0.5
Flight = tuple[str, int, int]


class CacheUnavailable(Exception):
    """Redis failed or was too slow; the request goes on without the cache."""


@dataclass(frozen=True, slots=True)
class Served:
    """An answer, where it came from (the `X-Cache` header), and its age in ms (`Age`)."""

    answer: Answer
    state: CacheState
    age_ms: int = 0


@dataclass(frozen=True, slots=True)
class CachePolicy:
    """The cache's bounds, from the settings."""

    enabled: bool
    ttl_ms: int
    stale_ceiling_ms: int
    lock_wait_s: float
    redis_timeout_s: float
    # how long the request that starts a refresh waits for it before serving the old answer
    refresh_wait_s: float = 0.0
    refresh_concurrency: int = 4
    refresh_per_s: float = 100.0
    miss_concurrency: int = 32
    miss_wait_s: float = 1.0
    local_max_bytes: int = 64 * 1024 * 1024  # 0: no in-process tier
    local_poll_s: float = 0.1

    @classmethod
    def from_settings(cls, settings: Settings) -> CachePolicy:
        """The policy the settings describe."""
        return cls(
            enabled=settings.cache_enabled,
            ttl_ms=int(settings.cache_ttl_s * 1000),
            stale_ceiling_ms=int(settings.cache_stale_ceiling_s * 1000),
            lock_wait_s=settings.cache_lock_wait_s,
            redis_timeout_s=settings.cache_redis_timeout_s,
            refresh_wait_s=settings.cache_refresh_wait_s,
            refresh_concurrency=settings.cache_refresh_concurrency,
            refresh_per_s=settings.cache_refresh_per_s,
            miss_concurrency=settings.cache_miss_concurrency,
            miss_wait_s=settings.cache_miss_wait_s,
            local_max_bytes=int(settings.cache_local_max_mb * 1024 * 1024),
            local_poll_s=settings.cache_local_poll_s,
        )


class ReadCache:
    """Serves answers from memory or Redis, computing each missing or outdated one once."""

    def __init__(
        self,
        store: CacheStore,
        breaker: RedisBreaker,
        policy: CachePolicy,
    ) -> None:
        self.store = store
        self.breaker = breaker
        self.policy = policy
        self.local = LocalEntries(policy.local_max_bytes)
        # the state is trusted for two poll intervals beyond the first missed poll, and for
        # at least STATE_TRUSTED_S, so a busy event loop does not send every hit to Redis
        trusted_s = max(3 * policy.local_poll_s, STATE_TRUSTED_S)
        self.watch = StateWatch(store, policy.local_poll_s, trusted_s, policy.redis_timeout_s)
        self.watch.on_reset = self.local.clear
        self.refreshes = RefreshBudget(policy.refresh_concurrency, policy.refresh_per_s)
        self.misses = MissBudget(policy.miss_concurrency, policy.miss_wait_s)
        self._flights: dict[Flight, asyncio.Task[Answer | None]] = {}

    def start(self) -> None:
        """Start watching the generation (the in-process tier answers only while it is known)."""
        if self.policy.enabled and self.policy.local_max_bytes > 0:
            self.watch.start()

    async def fetch(self, key: str, compute: Compute, *, read: bool = True) -> Served:
        """The answer for `key`; `read=False` (Cache-Control: no-cache) computes and stores anew."""
        served, tier = await self._fetch(key, compute, read)
        CACHE_REQUESTS.labels(served.state, tier).inc()
        if served.state == "stale":
            CACHE_STALENESS.observe(served.age_ms / 1000)
        return served

    async def _fetch(self, key: str, compute: Compute, read: bool) -> tuple[Served, Tier]:
        if not self.policy.enabled or not self.breaker.allow():
            return Served(await compute(), "bypass"), "none"
        if read and (local := self._from_memory(key, compute)) is not None:
            return local, "local"
        try:
            found = await self._redis(self.store.lookup(key))
        except CacheUnavailable:
            return Served(await compute(), "bypass"), "none"
        state, entry = found.state, found.entry
        self.watch.observe(state)
        if not read:
            return Served(await self._compute_and_store(key, state, compute), "miss"), "redis"
        kind = freshness(entry, state, self.policy.stale_ceiling_ms)
        if entry is not None and kind != "miss":
            self._remember(key, entry)
            if kind == "hit":
                return Served(entry.answer, "hit", age_ms(entry, state)), "redis"
            refresh = self._refresh(key, state, compute, looked_up=True)
            if refresh is not None and (fresh := await self._landed_within(refresh)) is not None:
                return Served(fresh, "miss"), "redis"
            return Served(entry.answer, "stale", age_ms(entry, state)), "redis"
        flight = (key, state.epoch, state.generation)
        if flight in self._flights:
            CACHE_COALESCED.labels("flight").inc()
        task = self._flight(flight, partial(self._lead, key, state, compute))
        # a client that goes away must not cancel the computation others wait for
        answer = await asyncio.shield(task)
        assert answer is not None  # a miss's computation always answers (or raises)
        return Served(answer, "miss"), "redis"

    def memory_hit(self, key: str) -> Served | None:
        """A current answer from the in-process tier, or None (the hit path's only question)."""
        if not self.policy.enabled or self.breaker.is_open:
            return None
        held = self._in_memory(key, stale_ceiling_ms=-1)
        if held is None:
            return None
        CACHE_REQUESTS.labels("hit", "local").inc()
        return held[0]

    def _from_memory(self, key: str, compute: Compute) -> Served | None:
        """A hit or a stale answer from the in-process tier, if it has one it may serve."""
        held = self._in_memory(key, self.policy.stale_ceiling_ms)
        if held is None:
            return None
        served, state = held
        if served.state == "stale":
            # Redis may hold a fresher answer already; the refresh looks there first
            self._refresh(key, state, compute, looked_up=False)
        return served

    def _in_memory(self, key: str, stale_ceiling_ms: int) -> tuple[Served, State] | None:
        """What the in-process tier may serve for `key` under the state last polled."""
        state = self.watch.current()
        entry = self.local.get(key) if state is not None else None
        if state is None or entry is None:
            return None
        kind = freshness(entry, state, stale_ceiling_ms)
        if kind == "miss":
            return None
        return Served(entry.answer, kind, age_ms(entry, state)), state

    def _remember(self, key: str, entry: Entry) -> None:
        if self.policy.local_max_bytes > 0:
            self.local.put(key, entry)

    def _flight(
        self, flight: Flight, start: Callable[[], Coroutine[Any, Any, Answer | None]]
    ) -> asyncio.Task[Answer | None]:
        task = self._flights.get(flight)
        if task is None:
            task = asyncio.create_task(start())
            self._flights[flight] = task
            task.add_done_callback(partial(self._landed, flight))
        return task

    def _refresh(
        self, key: str, state: State, compute: Compute, *, looked_up: bool
    ) -> asyncio.Task[Answer | None] | None:
        """The background refresh of an outdated answer: joined, started within budget, or none."""
        flight = (key, state.epoch, state.generation)
        if (running := self._flights.get(flight)) is not None:
            return running
        if not self.refreshes.try_start():
            CACHE_REFRESHES.labels("over_budget").inc()
            return None
        task = self._flight(flight, partial(self._refresh_run, key, state, compute, looked_up))
        task.add_done_callback(lambda _: self.refreshes.finished())
        return task

    async def _refresh_run(
        self, key: str, state: State, compute: Compute, looked_up: bool
    ) -> Answer | None:
        try:
            if not looked_up:
                found = await self._redis(self.store.lookup(key))
                self.watch.observe(found.state)
                if found.entry is not None and freshness(found.entry, found.state, 0) == "hit":
                    self._remember(key, found.entry)
                    CACHE_REFRESHES.labels("found").inc()
                    return found.entry.answer
                state = found.state
            token = secrets.token_hex(8)
            lock_ms = int(self.policy.lock_wait_s * 1000)
            if not await self._redis(self.store.lock(key, state.generation, token, lock_ms)):
                CACHE_REFRESHES.labels("elsewhere").inc()
                return None
        except CacheUnavailable:
            return None
        CACHE_REFRESHES.labels("computed").inc()
        return await self._compute_and_store(key, state, compute, token)

    async def _landed_within(self, refresh: asyncio.Task[Answer | None]) -> Answer | None:
        """The refreshed answer if it lands within the refresh wait; never cancels it."""
        if self.policy.refresh_wait_s <= 0:
            return None
        await asyncio.wait({refresh}, timeout=self.policy.refresh_wait_s)
        if refresh.done() and not refresh.cancelled() and refresh.exception() is None:
            return refresh.result()
        return None

    def _landed(self, flight: Flight, task: asyncio.Task[Answer | None]) -> None:
        self._flights.pop(flight, None)
        if not task.cancelled() and task.exception() is not None:
            # awaiting requests report it; a background refresh only leaves the old entry
            log.debug("cache computation failed", extra={"error": repr(task.exception())})

    async def _lead(self, key: str, state: State, compute: Compute) -> Answer:
        token = secrets.token_hex(8)
        try:
            lock_ms = int(self.policy.lock_wait_s * 1000)
            mine = await self._redis(self.store.lock(key, state.generation, token, lock_ms))
            if not mine:
                other = await self._wait_for_other(key, state)
                if other is not None:
                    CACHE_COALESCED.labels("lock").inc()
                    self._remember(key, other)
                    return other.answer
        except CacheUnavailable:
            return await compute()
        async with self.misses.slot():
            return await self._compute_and_store(key, state, compute, token if mine else "")

    async def _compute_and_store(
        self, key: str, state: State, compute: Compute, token: str = ""
    ) -> Answer:
        stored = False
        try:
            answer = await compute()
            stored = await self._store(key, state, answer)
            return answer
        finally:
            # a stored answer keeps the lock until it expires (see store.py); a failed one frees it
            if token and not stored and not self.breaker.is_open:
                with contextlib.suppress(CacheUnavailable):
                    await self._redis(self.store.release(key, state.generation, token))

    async def _wait_for_other(self, key: str, state: State) -> Entry | None:
        """The entry another process is computing, if it lands within the bounded wait."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.policy.lock_wait_s
        while loop.time() < deadline:
            await asyncio.sleep(POLL_S)
            entry, locked = await self._redis(self.store.entry_or_lock(key, state.generation))
            if entry is not None and (entry.epoch, entry.generation) >= (
                state.epoch,
                state.generation,
            ):
                return entry
            if not locked:  # the other one failed or gave up
                return None
        return None

    async def _store(self, key: str, state: State, answer: Answer) -> bool:
        if answer.status not in CACHEABLE_STATUSES or self.breaker.is_open:
            return False
        entry = Entry(state.generation, answer, state.epoch, state.now_ms)
        self._remember(key, entry)
        try:
            await self._redis(self.store.put(key, entry, self.policy.ttl_ms))
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
        """Stop computations still running and the watch (at shutdown)."""
        await self.watch.stop()
        tasks = list(self._flights.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
