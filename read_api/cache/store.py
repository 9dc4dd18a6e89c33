"""The cache's Redis side: entries, the generation watch and per-key locks, one round trip each.

An entry is a hash under the request's key: the generation it was computed
under (`g`), the HTTP status (`s`), the serialised body (`b`) and, for
searches, the total (`t`). One key per request rather than one per request
and generation keeps Redis's memory flat while the generation advances every
second; the store script never replaces an entry with one of an older
generation, so a slow request cannot undo a fresher one.

The lookup also maintains the generation watch (`catalog:rc:watch`): the
generation last seen and when a lookup last saw the one before it. That last
sighting of the old generation is a lower bound of when the new one began,
so "the generation changed at most N ms ago" is never an underestimate: an
old answer is served as stale only when that is certain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from redis.asyncio import Redis

from catalog.cache_generation import GENERATION_KEY

WATCH_KEY = "catalog:rc:watch"
Freshness = Literal["hit", "stale", "miss"]

_LOOKUP = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local w = redis.call('HMGET', KEYS[2], 'g', 'last', 'prev')
local seen = tonumber(w[1] or '-1')
local prev = tonumber(w[3] or '0')
if seen == cur then
  redis.call('HSET', KEYS[2], 'last', now)
else
  if seen == cur - 1 then prev = tonumber(w[2] or '0') else prev = 0 end
  redis.call('HSET', KEYS[2], 'g', cur, 'last', now, 'prev', prev)
end
local age = -1
if prev > 0 then age = now - prev end
local e = redis.call('HMGET', KEYS[3], 'g', 's', 'b', 't')
return {cur, age, e[1], e[2], e[3], e[4]}
"""

_STORE = """
local stored = tonumber(redis.call('HGET', KEYS[1], 'g') or '-1')
local cur = tonumber(redis.call('GET', KEYS[2]) or '0')
local g = tonumber(ARGV[1])
local written = 0
if stored <= g or stored > cur then
  redis.call('HSET', KEYS[1], 'g', g, 's', ARGV[2], 'b', ARGV[3], 't', ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  written = 1
end
if redis.call('GET', KEYS[3]) == ARGV[6] then redis.call('DEL', KEYS[3]) end
return written
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass(frozen=True, slots=True)
class Answer:
    """A serialised answer: HTTP status, body bytes, and a search's total (for analytics)."""

    status: int
    body: bytes
    total: int | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """A cached answer and the generation it was computed under."""

    generation: int
    answer: Answer


@dataclass(frozen=True, slots=True)
class Lookup:
    """The current generation, how long ago it began (-1: unknown), and the entry if any."""

    generation: int
    changed_ms_ago: int
    entry: Entry | None


def freshness(found: Lookup, stale_window_ms: int) -> Freshness:
    """Serve the entry (hit), serve it while refreshing (stale), or compute anew (miss)."""
    entry = found.entry
    if entry is None:
        return "miss"
    if entry.generation == found.generation:
        return "hit"
    if entry.generation == found.generation - 1 and 0 <= found.changed_ms_ago <= stale_window_ms:
        return "stale"
    return "miss"


def _entry(g: bytes | None, s: bytes | None, b: bytes | None, t: bytes | None) -> Entry | None:
    if g is None or s is None or b is None:
        return None
    total = int(t) if t else None
    return Entry(int(g), Answer(int(s), bytes(b), total))


def lock_key(key: str, generation: int) -> str:
    """Held by the one process computing `key` for `generation`."""
    return f"{key}:lock:{generation}"


class CacheStore:
    """The cache's Redis operations; every one is a single round trip."""

    def __init__(
        self, redis: Redis, generation_key: str = GENERATION_KEY, watch_key: str = WATCH_KEY
    ) -> None:
        self._redis = redis
        self._generation_key = generation_key
        self._watch_key = watch_key
        self._lookup = redis.register_script(_LOOKUP)
        self._store = redis.register_script(_STORE)
        self._release = redis.register_script(_RELEASE)

    async def lookup(self, key: str) -> Lookup:
        """The current generation, its age, and the entry under `key`."""
        cur, age, g, s, b, t = await self._lookup(keys=[self._generation_key, self._watch_key, key])
        return Lookup(int(cur), int(age), _entry(g, s, b, t))

    async def entry_or_lock(self, key: str, generation: int) -> tuple[Entry | None, bool]:
        """The entry under `key`, and whether someone still holds the lock for `generation`."""
        pipe = self._redis.pipeline(transaction=False)
        pipe.hmget(key, ["g", "s", "b", "t"])
        pipe.exists(lock_key(key, generation))
        (g, s, b, t), locked = await pipe.execute()
        return _entry(g, s, b, t), bool(locked)

    async def lock(self, key: str, generation: int, token: str, ttl_ms: int) -> bool:
        """Take the right to compute `key` for `generation`, unless another process holds it."""
        return bool(await self._redis.set(lock_key(key, generation), token, nx=True, px=ttl_ms))

    async def release(self, key: str, generation: int, token: str) -> None:
        """Give the lock back (only if still ours)."""
        await self._release(keys=[lock_key(key, generation)], args=[token])

    async def put(self, key: str, generation: int, answer: Answer, ttl_ms: int, token: str) -> bool:
        """Store an answer unless a newer one is there; release the lock. True if written."""
        total = "" if answer.total is None else str(answer.total)
        args: list[bytes | str | int] = [
            generation,
            answer.status,
            answer.body,
            total,
            ttl_ms,
            token,
        ]
        keys = [key, self._generation_key, lock_key(key, generation)]
        return bool(await self._store(keys=keys, args=args))
