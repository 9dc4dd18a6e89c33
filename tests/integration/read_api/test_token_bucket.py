"""The rate limiter's token bucket, run by the real Redis script."""

from __future__ import annotations

import asyncio
import uuid

from redis.asyncio import Redis

from catalog.settings import Settings
from read_api.cache.breaker import RedisBreaker
from read_api.rate_limit import RateLimiter


def _limiter(redis: Redis, settings: Settings, per_s: float, burst: int) -> RateLimiter:
    limited = settings.model_copy(update={"rate_limit_per_s": per_s, "rate_limit_burst": burst})
    return RateLimiter(redis, RedisBreaker(5), limited)


async def _allowed(limiter: RateLimiter, scope: dict[str, object]) -> bool:
    decision = await limiter.check(scope)
    assert decision is not None
    return decision.allowed


def _client(key: str | None = None) -> dict[str, object]:
    headers = [(b"x-api-key", key.encode())] if key else []
    return {"headers": headers, "client": ("10.1.2.3", 40000)}


async def test_a_full_bucket_allows_its_burst_then_refuses(
    spare_redis: Redis, settings: Settings
) -> None:
    # one token per 1,000 s: nothing refills while the test runs
    limiter = _limiter(spare_redis, settings, per_s=0.001, burst=3)
    scope = _client(uuid.uuid4().hex)
    decisions = [await limiter.check(scope) for _ in range(5)]
    assert all(d is not None for d in decisions)
    assert [d.allowed for d in decisions if d] == [True, True, True, False, False]
    assert [d.remaining for d in decisions if d] == [2, 1, 0, 0, 0]
    refused = decisions[3]
    assert refused is not None
    assert refused.retry_after_ms > 0
    assert refused.full_in_ms >= refused.retry_after_ms


async def test_clients_have_buckets_of_their_own(spare_redis: Redis, settings: Settings) -> None:
    limiter = _limiter(spare_redis, settings, per_s=0.001, burst=1)
    first, second = _client(uuid.uuid4().hex), _client(uuid.uuid4().hex)
    assert await _allowed(limiter, first)
    assert not await _allowed(limiter, first)
    assert await _allowed(limiter, second)
    # without a key the address counts
    assert await _allowed(limiter, _client())
    assert not await _allowed(limiter, _client())


async def test_the_bucket_refills_but_never_beyond_its_size(
    spare_redis: Redis, settings: Settings
) -> None:
    limiter = _limiter(spare_redis, settings, per_s=20, burst=2)
    scope = _client(uuid.uuid4().hex)
    assert await _allowed(limiter, scope)
    await asyncio.sleep(0.5)  # ten tokens' worth of time
    after = await limiter.check(scope)
    assert after is not None
    assert after.allowed
    assert after.remaining == 1  # capped at the burst of 2, minus this request


async def test_with_redis_unreachable_the_limiter_lets_requests_pass(
    unreachable_redis: Redis, settings: Settings
) -> None:
    limiter = _limiter(unreachable_redis, settings, per_s=0.001, burst=1)
    assert await limiter.check(_client("k")) is None
    assert limiter.breaker.is_open
    assert await limiter.check(_client("k")) is None  # skipped: the breaker is open
