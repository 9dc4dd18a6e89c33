"""Products changed and not yet confirmed indexed: a small Redis set the sweeper reads.

What is unsynced is decided by comparing a product's version in MongoDB with
the index's (indexer.versions), but comparing every product means reading
all of both stores: seconds at 20,000 products on FerretDB, with the
indexer's reads waiting behind it. So every change is also recorded here, in
a sorted set scored by Redis's own clock at recording. The indexer removes
an id once it has synced it, only if the id was recorded before the indexer
read MongoDB (a later change stays). The sweeper reads just the ids recorded
longer ago than its grace period, checks them in MongoDB and the index,
sends the unsynced again and drops the rest.

The set is a shortcut, never the truth. Ids are recorded before their
MongoDB write as well as after it, so a process killed in between leaves
them here; the set can still miss a change when Redis loses its data or was
unreachable as the change was recorded. The epoch key says whether the set
can be trusted: it goes with Redis's data, a recorder that failed clears it
once Redis answers again, and it expires after the full-scan interval.
Without it the sweeper compares every product (and sets it again before it
starts), which also catches whatever else the set missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from catalog.clients import redis_text

PENDING_KEY = "catalog:pending"
EPOCH_KEY = "catalog:pending:epoch"

# ZADD GT keeps the latest change's time; a new id is added whatever its score
_RECORD = """
local t = redis.call('TIME')
local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, #ARGV do
    redis.call('ZADD', KEYS[1], 'GT', ms, ARGV[i])
end
return ms
"""

# ARGV[1]: the time the caller read MongoDB from; an id recorded at or after
# it may hold a change that read did not see
_FORGET_SYNCED = """
local removed = 0
local before = tonumber(ARGV[1])
for i = 2, #ARGV do
    local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
    if score and tonumber(score) < before then
        redis.call('ZREM', KEYS[1], ARGV[i])
        removed = removed + 1
    end
end
return removed
"""

# ARGV: id, score pairs; an id recorded again since it was read stays
_FORGET_UNCHANGED = """
local removed = 0
for i = 1, #ARGV, 2 do
    local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
    if score and tonumber(score) == tonumber(ARGV[i + 1]) then
        redis.call('ZREM', KEYS[1], ARGV[i])
        removed = removed + 1
    end
end
return removed
"""


def record(pipe: Pipeline, product_ids: Sequence[str], *, trust_lost: bool = False) -> None:
    """Add recording these ids (at Redis's time) to a pipeline; after a failed one, distrust."""
    if trust_lost:
        pipe.delete(EPOCH_KEY)
    if product_ids:
        pipe.eval(_RECORD, 1, PENDING_KEY, *product_ids)


async def record_now(redis: Redis, product_ids: Sequence[str], *, trust_lost: bool = False) -> None:
    """Record these ids in a round trip of their own (see `record`)."""
    async with redis.pipeline(transaction=False) as pipe:
        record(pipe, product_ids, trust_lost=trust_lost)
        await pipe.execute()


def as_ms(time_answer: tuple[int, int]) -> int:
    """A Redis TIME answer (seconds, microseconds) in milliseconds: every score's unit."""
    seconds, micros = time_answer
    return int(seconds) * 1000 + int(micros) // 1000


def as_datetime(score_ms: float) -> datetime:
    """A score (Redis's clock, milliseconds) as a UTC time, like MongoDB's."""
    return datetime.fromtimestamp(score_ms / 1000, UTC)


async def recorded_among(redis: Redis, product_ids: Sequence[str]) -> set[str]:
    """Those of these ids the set holds."""
    if not product_ids:
        return set()
    scores: Any = await redis.zmscore(PENDING_KEY, list(product_ids))
    return {i for i, score in zip(product_ids, scores, strict=True) if score is not None}


async def clock_ms(redis: Redis) -> int:
    """Redis's clock in milliseconds: the one every score is on."""
    return as_ms(await redis.time())


async def forget_synced(redis: Redis, product_ids: Sequence[str], read_from_ms: int) -> int:
    """Drop these ids if recorded before `read_from_ms`, when MongoDB was read for them."""
    if not product_ids:
        return 0
    return int(await redis.eval(_FORGET_SYNCED, 1, PENDING_KEY, read_from_ms, *product_ids))


async def forget_unchanged(redis: Redis, entries: Sequence[tuple[str, float]]) -> int:
    """Drop these (id, score) entries unless the id was recorded again meanwhile."""
    if not entries:
        return 0
    args = [value for product_id, score in entries for value in (product_id, repr(score))]
    return int(await redis.eval(_FORGET_UNCHANGED, 1, PENDING_KEY, *args))


async def recorded_before(redis: Redis, cutoff_ms: int, limit: int) -> list[tuple[str, float]]:
    """The oldest ids recorded before the cutoff, with their scores."""
    entries: Any = await redis.zrangebyscore(
        PENDING_KEY, "-inf", f"({cutoff_ms}", start=0, num=limit, withscores=True
    )
    return [(redis_text(product_id), float(score)) for product_id, score in entries]


async def recorded_ids(redis: Redis) -> list[str]:
    """Every id recorded, oldest first."""
    entries: Any = await redis.zrange(PENDING_KEY, 0, -1)
    return [redis_text(product_id) for product_id in entries]


async def level(redis: Redis) -> tuple[int, float | None]:
    """How many ids are recorded, and the oldest one's score."""
    async with redis.pipeline(transaction=False) as pipe:
        pipe.zcard(PENDING_KEY)
        pipe.zrange(PENDING_KEY, 0, 0, withscores=True)
        count, oldest = await pipe.execute()
    return int(count), (float(oldest[0][1]) if oldest else None)


async def trusted(redis: Redis) -> bool:
    """Whether the set holds every change since the last full scan began."""
    return bool(await redis.exists(EPOCH_KEY))


async def trust_until_full_scan(redis: Redis, interval_s: int) -> None:
    """Called as a full scan begins: the set, with that scan, covers every change."""
    await redis.set(EPOCH_KEY, 1, ex=interval_s)
