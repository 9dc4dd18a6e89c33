"""The rate limiter's token bucket, run by the real Redis script, spent through local leases.

Buckets refill at one token per 1,000 s unless a test is about refill, and
the limiters run on a clock of the test's own, so nothing refills or lapses
while a test runs unless the test says so.
"""

from __future__ import annotations

import asyncio
import math
import random
import uuid
from typing import Any

import pytest
from redis.asyncio import Redis

from catalog.settings import Settings
from read_api.cache.breaker import RedisBreaker
from read_api.rate_limit import KEY_PREFIX, RateLimiter, client_identity

NO_REFILL_PER_S = 0.001  # one token per 1,000 s: nothing refills while a test runs
LEASE_S = 0.25
LEASE_MAX = 4
CONCURRENT_REQUESTS = 30


class FakeClock:
    """The limiter's clock, moved only by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingScript:
    """The limiter's registered Redis script, counting its calls."""

    def __init__(self, script: Any) -> None:
        self.script = script
        self.calls = 0

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return await self.script(*args, **kwargs)


def _limiter(
    redis: Redis,
    settings: Settings,
    per_s: float,
    burst: int,
    clock: FakeClock | None = None,
    lease_max: int = LEASE_MAX,
) -> RateLimiter:
    limited = settings.model_copy(
        update={
            "rate_limit_per_s": per_s,
            "rate_limit_burst": burst,
            "rate_limit_lease_s": LEASE_S,
            "rate_limit_lease_max": lease_max,
        }
    )
    if clock is None:
        return RateLimiter(redis, RedisBreaker(5), limited)
    return RateLimiter(redis, RedisBreaker(5), limited, clock)


def _counting(limiter: RateLimiter) -> CountingScript:
    counting = CountingScript(limiter._lease)
    limiter._lease = counting  # type: ignore[assignment]
    return counting


async def _allowed(limiter: RateLimiter, scope: dict[str, object]) -> bool:
    decision = await limiter.check(scope)
    assert decision is not None
    return decision.allowed


def _client(address: str = "10.1.2.3") -> dict[str, object]:
    """A request from `address` (each test's own made-up one keeps its bucket apart)."""
    return {"headers": [], "client": (address, 40000)}


async def _bucket_tokens(redis: Redis, limiter: RateLimiter, scope: dict[str, object]) -> int:
    """The whole tokens in the client's bucket (a trickle refills even at NO_REFILL_PER_S)."""
    identity = client_identity(scope, None, limiter.trusted_proxies)
    tokens = await redis.hget(KEY_PREFIX + identity, "tokens")
    assert tokens is not None
    return math.floor(float(tokens))


async def test_a_full_bucket_allows_its_burst_then_refuses(
    spare_redis: Redis, settings: Settings
) -> None:
    limiter = _limiter(spare_redis, settings, per_s=NO_REFILL_PER_S, burst=3, clock=FakeClock())
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
    limiter = _limiter(spare_redis, settings, per_s=NO_REFILL_PER_S, burst=1, clock=FakeClock())
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
    await asyncio.sleep(0.5)  # ten tokens' worth of time, and the lease lapsed
    after = await limiter.check(scope)
    assert after is not None
    assert after.allowed
    assert after.remaining == 1  # capped at the burst of 2, minus this request


async def test_the_hot_path_spends_leases_without_asking_redis(
    spare_redis: Redis, settings: Settings
) -> None:
    limiter = _limiter(spare_redis, settings, per_s=NO_REFILL_PER_S, burst=100, clock=FakeClock())
    calls = _counting(limiter)
    scope = _client(uuid.uuid4().hex)
    for _ in range(50):
        assert await _allowed(limiter, scope)
    # leases of 1, 2 and 4, then of LEASE_MAX: 7 tokens, then 43 more in 11 leases
    assert calls.calls == 3 + 11
    leased = 1 + 2 + 4 + 11 * LEASE_MAX
    assert await _bucket_tokens(spare_redis, limiter, scope) == 100 - leased


async def test_unspent_leases_lapse_and_are_never_given_back(
    spare_redis: Redis, settings: Settings
) -> None:
    clock = FakeClock()
    limiter = _limiter(spare_redis, settings, per_s=NO_REFILL_PER_S, burst=10, clock=clock)
    calls = _counting(limiter)
    scope = _client(uuid.uuid4().hex)
    assert await _allowed(limiter, scope)  # a lease of 1
    assert await _allowed(limiter, scope)  # a lease of 2, one left unspent
    assert calls.calls == 2
    clock.now += LEASE_S
    after = await limiter.check(scope)  # the unspent token lapsed: Redis is asked
    assert after is not None
    assert after.allowed
    assert calls.calls == 3
    # the next lease was halved to 1; the lapsed token stays out of the bucket
    assert await _bucket_tokens(spare_redis, limiter, scope) == 10 - 1 - 2 - 1
    assert after.remaining == 6


async def test_a_refused_client_does_not_ask_redis_before_its_retry_after(
    spare_redis: Redis, settings: Settings
) -> None:
    clock = FakeClock()
    limiter = _limiter(spare_redis, settings, per_s=NO_REFILL_PER_S, burst=2, clock=clock)
    calls = _counting(limiter)
    scope = _client(uuid.uuid4().hex)
    assert await _allowed(limiter, scope)
    assert await _allowed(limiter, scope)
    refused = await limiter.check(scope)
    assert refused is not None
    assert not refused.allowed
    asked = calls.calls
    for _ in range(20):
        clock.now += refused.retry_after_ms / 1000 / 40
        again = await limiter.check(scope)
        assert again is not None
        assert not again.allowed
        assert 0 < again.retry_after_ms < refused.retry_after_ms
    assert calls.calls == asked
    clock.now += refused.retry_after_ms / 1000  # past the retry-after: Redis is asked again
    assert not await _allowed(limiter, scope)  # Redis's own clock did not refill it
    assert calls.calls == asked + 1


def _interleavings() -> list[list[int]]:
    """Which of two processes each request goes to: alternating, uneven, at random."""
    requests = 60
    alternating = [i % 2 for i in range(requests)]
    uneven = [0 if i % 4 else 1 for i in range(requests)]
    rng = random.Random(14)
    at_random = [rng.randrange(2) for _ in range(requests)]
    return [alternating, uneven, at_random]


@pytest.mark.parametrize("processes_of_requests", _interleavings())
async def test_two_processes_share_one_bucket_within_the_stated_tolerance(
    spare_redis: Redis, settings: Settings, processes_of_requests: list[int]
) -> None:
    burst = 20
    clock = FakeClock()
    limiters = [
        _limiter(spare_redis, settings, per_s=NO_REFILL_PER_S, burst=burst, clock=clock)
        for _ in range(2)
    ]
    scope = _client(uuid.uuid4().hex)
    allowed = 0
    allowed_at_first_refusal: int | None = None
    for process in processes_of_requests:
        if await _allowed(limiters[process], scope):
            allowed += 1
        elif allowed_at_first_refusal is None:
            allowed_at_first_refusal = allowed
    assert allowed == burst  # nothing lapsed: every leased token was spent, none twice
    assert allowed_at_first_refusal is not None
    # refused early by at most the tokens the other process held
    assert allowed_at_first_refusal >= burst - (2 - 1) * LEASE_MAX


async def test_two_processes_never_allow_more_than_the_bucket_even_concurrently(
    spare_redis: Redis, settings: Settings
) -> None:
    burst = 20
    clock = FakeClock()
    limiters = [
        _limiter(spare_redis, settings, per_s=NO_REFILL_PER_S, burst=burst, clock=clock)
        for _ in range(2)
    ]
    scope = _client(uuid.uuid4().hex)
    allowed = 0
    for _ in range(4):
        checks = [limiters[i % 2].check(scope) for i in range(CONCURRENT_REQUESTS)]
        decisions = await asyncio.gather(*checks)
        allowed += sum(1 for d in decisions if d is not None and d.allowed)
        clock.now += LEASE_S  # leases lapse between rounds: tokens are lost, never reused
    assert 0 < allowed <= burst


async def test_with_redis_unreachable_the_limiter_lets_requests_pass(
    unreachable_redis: Redis, settings: Settings
) -> None:
    limiter = _limiter(unreachable_redis, settings, per_s=NO_REFILL_PER_S, burst=1)
    assert await limiter.check(_client("k")) is None
    assert limiter.breaker.is_open
    assert await limiter.check(_client("k")) is None  # skipped: the breaker is open
