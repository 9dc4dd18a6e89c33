"""The in-process tier in front of Redis: recent entries, bounded in bytes, and a state watch.

A hit here costs no round trip. The process learns of new data by polling
the generation and epoch (one small script every `poll_s`, not one call per
request), with Redis's clock, so an entry's age is measured on the same
clock as in Redis. Until a poll succeeds, or once polls fail for longer than
`valid_s`, the tier answers nothing and every request goes to Redis as
before: with Redis away, nothing stale is served from memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from redis.exceptions import RedisError

from read_api.cache.store import CacheStore, Entry, State

log = logging.getLogger(__name__)


class LocalEntries:
    """Least recently used entries, at most `max_bytes` of them (bodies and gzip forms)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """Bytes held now."""
        return self._bytes

    def get(self, key: str) -> Entry | None:
        """The entry under `key`, marked as recently used."""
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: Entry) -> None:
        """Keep `entry` unless a newer one is held; drop the least recently used past the bound."""
        size = entry.answer.size
        if size > self.max_bytes:
            return
        held = self._entries.get(key)
        if held is not None:
            if (held.epoch, held.generation, held.computed_ms) > (
                entry.epoch,
                entry.generation,
                entry.computed_ms,
            ):
                return
            self._bytes -= held.answer.size
        self._entries[key] = entry
        self._entries.move_to_end(key)
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= dropped.answer.size

    def clear(self) -> None:
        """Forget everything (the epoch changed)."""
        self._entries.clear()
        self._bytes = 0


class StateWatch:
    """The generation and epoch as last polled, and Redis's clock estimated between polls."""

    def __init__(
        self,
        store: CacheStore,
        poll_s: float,
        valid_s: float,
        timeout_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.poll_s = poll_s
        self.valid_s = valid_s
        self.timeout_s = timeout_s
        self._clock = clock
        self._state: State | None = None
        self._polled_at = 0.0
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.on_reset: Callable[[], None] = lambda: None

    def observe(self, state: State) -> None:
        """Take a state read from Redis (by a poll, or by any lookup: it is as good).

        A new epoch, or a generation gone back (Redis restarted empty), calls
        `on_reset`: nothing held in memory may be served after it.
        """
        held = self._state
        if held is not None and (state.epoch != held.epoch or state.generation < held.generation):
            self.on_reset()
        self._state = state
        self._polled_at = self._clock()

    def current(self) -> State | None:
        """The state now (Redis's clock advanced by the time since the poll), or None if unknown."""
        if self._state is None:
            return None
        elapsed = self._clock() - self._polled_at
        if elapsed > self.valid_s:
            return None
        state = self._state
        return State(state.generation, state.epoch, state.now_ms + int(elapsed * 1000))

    async def poll(self) -> None:
        """Read the state once; a failure leaves the last one to lapse after `valid_s`."""
        try:
            async with asyncio.timeout(self.timeout_s):
                state = await self.store.state()
        except (RedisError, OSError, TimeoutError) as exc:
            log.debug("cache state poll failed", extra={"error": repr(exc)})
            return
        self.observe(state)

    async def _run(self) -> None:
        # a stop flag as well as cancellation: a cancel that lands inside the Redis
        # client's call can be swallowed there, and the loop must end regardless
        while not self._stopping.is_set():
            await self.poll()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_s):
                    await self._stopping.wait()

    def start(self) -> None:
        """Poll in the background until `stop`."""
        if self._task is None:
            self._stopping = asyncio.Event()
            self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._stopping.set()
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
