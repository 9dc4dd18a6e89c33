"""The cache's Redis side: entries, the data generation and epoch, locks; one round trip each.

An entry records the data generation and the epoch it was computed under,
and when (Redis's clock, milliseconds). The indexer advances the generation
after every published batch and the epoch only when everything changed (a
rebuild's swap, an audit's repairs). An entry of another epoch is never
served. An entry of an older generation is outdated but still servable for
`stale_ceiling_ms` after it was computed, while one request refreshes it.
Its age, the time since its computation began, bounds how old its data is,
so the staleness served and reported is never an underestimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from redis.asyncio import Redis

from catalog.cache_generation import EPOCH_KEY, GENERATION_KEY
from read_api.cache.encoding import etag_of, gzipped

Freshness = Literal["hit", "stale", "miss"]
# the hash fields of an entry, in the order the scripts return them
ENTRY_FIELDS = ("g", "p", "c", "s", "b", "t", "z", "e")

_LOOKUP = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local epoch = tonumber(redis.call('GET', KEYS[2]) or '0')
local e = redis.call('HMGET', KEYS[3], 'g', 'p', 'c', 's', 'b', 't', 'z', 'e')
return {cur, epoch, now, e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8]}
"""

# write unless the stored entry is newer (a later epoch, or a later generation of this one);
# the computing process's lock stays until it expires, so a process that found the old
# answer a moment ago does not compute the same generation again
_STORE = """
local w = redis.call('HMGET', KEYS[1], 'g', 'p')
local g = tonumber(ARGV[1])
local p = tonumber(ARGV[2])
local stored_g = tonumber(w[1] or '-1')
local stored_p = tonumber(w[2] or '-1')
local written = 0
if stored_p < p or (stored_p == p and stored_g <= g) then
  redis.call('HSET', KEYS[1], 'g', g, 'p', p, 'c', ARGV[3], 's', ARGV[4], 'b', ARGV[5],
    't', ARGV[6], 'z', ARGV[7], 'e', ARGV[8])
  redis.call('PEXPIRE', KEYS[1], ARGV[9])
  written = 1
end
return written
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

_STATE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
return {cur, tonumber(redis.call('GET', KEYS[2]) or '0'), now}
"""


@dataclass(frozen=True, slots=True)
class Answer:
    """A serialised answer: status, body, a search's total, and its ETag and gzip form (once)."""

    status: int
    body: bytes
    total: int | None = None
    etag: str = field(default="", compare=False)
    gzip: bytes | None = field(default=None, compare=False)

    @classmethod
    def of(cls, status: int, body: bytes, total: int | None = None) -> Answer:
        """An answer with its validator and compressed body computed now, once for all readers."""
        return cls(status, body, total, etag_of(body), gzipped(body))

    def validator(self) -> str:
        """The strong ETag (computed here only for answers made without `of`)."""
        return self.etag or etag_of(self.body)

    @property
    def size(self) -> int:
        """Bytes held in memory (for the in-process tier's bound)."""
        return len(self.body) + len(self.gzip or b"") + 128


@dataclass(frozen=True, slots=True)
class Entry:
    """A cached answer, the generation and epoch it was computed under, and when (ms)."""

    generation: int
    answer: Answer
    epoch: int = 0
    computed_ms: int = 0


@dataclass(frozen=True, slots=True)
class State:
    """The current data generation and epoch, and Redis's clock (ms) when read."""

    generation: int
    epoch: int
    now_ms: int


@dataclass(frozen=True, slots=True)
class Lookup:
    """The current state and the entry under a key, if any."""

    state: State
    entry: Entry | None


def freshness(entry: Entry | None, state: State, stale_ceiling_ms: int) -> Freshness:
    """Serve the entry (hit), serve it while refreshing (stale), or compute anew (miss)."""
    if entry is None or entry.epoch != state.epoch or entry.generation > state.generation:
        return "miss"  # another epoch, or a generation gone back (Redis restarted empty)
    if entry.generation == state.generation:
        return "hit"
    if age_ms(entry, state) <= stale_ceiling_ms:
        return "stale"
    return "miss"


def age_ms(entry: Entry, state: State) -> int:
    """How long ago the entry's computation began: a bound of how old its data is."""
    return max(0, state.now_ms - entry.computed_ms)


def _entry(fields: list[bytes | None]) -> Entry | None:
    g, p, c, s, b, t, z, e = fields
    if g is None or s is None or b is None:
        return None
    body = bytes(b)
    answer = Answer(
        int(s),
        body,
        int(t) if t else None,
        e.decode() if e else etag_of(body),
        bytes(z) if z else None,
    )
    return Entry(int(g), answer, int(p or 0), int(c or 0))


def lock_key(key: str, generation: int) -> str:
    """Held by the one process computing `key` for `generation`."""
    return f"{key}:lock:{generation}"


class CacheStore:
    """The cache's Redis operations; every one is a single round trip."""

    def __init__(
        self, redis: Redis, generation_key: str = GENERATION_KEY, epoch_key: str = EPOCH_KEY
    ) -> None:
        self._redis = redis
        self._keys = [generation_key, epoch_key]
        self._lookup = redis.register_script(_LOOKUP)
        self._store = redis.register_script(_STORE)
        self._release = redis.register_script(_RELEASE)
        self._state = redis.register_script(_STATE)

    async def state(self) -> State:
        """The current generation and epoch, with Redis's clock."""
        generation, epoch, now = await self._state(keys=self._keys)
        return State(int(generation), int(epoch), int(now))

    async def lookup(self, key: str) -> Lookup:
        """The current state and the entry under `key`."""
        cur, epoch, now, *fields = await self._lookup(keys=[*self._keys, key])
        return Lookup(State(int(cur), int(epoch), int(now)), _entry(fields))

    async def entry_or_lock(self, key: str, generation: int) -> tuple[Entry | None, bool]:
        """The entry under `key`, and whether someone still holds the lock for `generation`."""
        pipe = self._redis.pipeline(transaction=False)
        pipe.hmget(key, list(ENTRY_FIELDS))
        pipe.exists(lock_key(key, generation))
        fields, locked = await pipe.execute()
        return _entry(fields), bool(locked)

    async def lock(self, key: str, generation: int, token: str, ttl_ms: int) -> bool:
        """Take the right to compute `key` for `generation`, unless another process holds it."""
        return bool(await self._redis.set(lock_key(key, generation), token, nx=True, px=ttl_ms))

    async def release(self, key: str, generation: int, token: str) -> None:
        """Give the lock back (only if still ours)."""
        await self._release(keys=[lock_key(key, generation)], args=[token])

    async def put(self, key: str, entry: Entry, ttl_ms: int) -> bool:
        """Store an entry unless a newer one is there. True if written."""
        answer = entry.answer
        total = "" if answer.total is None else str(answer.total)
        args: list[bytes | str | int] = [
            entry.generation,
            entry.epoch,
            entry.computed_ms,
            answer.status,
            answer.body,
            total,
            answer.gzip or b"",
            answer.validator(),
            ttl_ms,
        ]
        return bool(await self._store(keys=[key], args=args))
