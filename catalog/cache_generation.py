"""The read cache's generation and epoch: counters the indexer advances after results change.

Every cached answer records the generation it was computed under. Advancing
the generation marks every answer outdated at once without scanning keys:
the read API then serves an outdated answer for at most its staleness ceiling
while one request refreshes it. The epoch is the "everything changed" signal
(a rebuild's swap): answers of an older epoch are never served. The indexer
advances it after it has written a batch and refreshed the index, at most
once per interval: a burst of batches becomes one advance now (the leading
edge) and one when the interval is over (the trailing edge), so the last
batch of a burst is never left behind a cached answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

GENERATION_KEY = "catalog:cache:generation"
EPOCH_KEY = "catalog:cache:epoch"
LAST_ADVANCE_KEY = "catalog:cache:generation:advanced_at_ms"
TRAILING_KEY = "catalog:cache:generation:trailing"

# Atomic "may I advance now?": the server's clock, so workers' clocks never
# disagree. Grants at most one caller per interval and records the grant;
# everyone else learns how long to wait.
_CLAIM = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if now - last >= interval then
  redis.call('SET', KEYS[1], now, 'PX', interval * 60)
  return 0
end
return interval - (now - last)
"""


@dataclass(frozen=True)
class Claim:
    """The answer to a claim: advance now, or wait `wait_ms` for the trailing edge."""

    granted: bool
    wait_ms: int


async def current_generation(redis: Redis) -> int:
    """The generation cached answers must carry to be served (0 before the first advance)."""
    value = await redis.get(GENERATION_KEY)
    return int(value) if value is not None else 0


async def claim_advance(redis: Redis, interval_ms: int) -> Claim:
    """Ask whether this caller may advance the generation now (at most once per interval)."""
    wait_ms = int(await redis.eval(_CLAIM, 1, LAST_ADVANCE_KEY, interval_ms))
    return Claim(granted=wait_ms <= 0, wait_ms=max(wait_ms, 0))


async def advance(redis: Redis) -> int:
    """Advance the generation (after a granted claim and an index refresh)."""
    return int(await redis.incr(GENERATION_KEY))


async def advance_epoch(redis: Redis) -> int:
    """Retire every cached answer outright (a rebuild swapped the index: nothing old is served)."""
    pipe = redis.pipeline(transaction=True)
    pipe.incr(EPOCH_KEY)
    pipe.incr(GENERATION_KEY)
    epoch, _ = await pipe.execute()
    return int(epoch)


async def reserve_trailing(redis: Redis, wait_ms: int) -> bool:
    """True when this caller should schedule the trailing advance (nobody has yet)."""
    return bool(await redis.set(TRAILING_KEY, 1, nx=True, px=wait_ms + 5000))


async def release_trailing(redis: Redis) -> None:
    """Called by the trailing advance when it starts, so later batches can schedule anew."""
    await redis.delete(TRAILING_KEY)
