"""The sweeper's pause after a slow scan, on a real Redis (a spare database)."""

from __future__ import annotations

from redis.asyncio import Redis

from workers.tasks.indexing import SWEEP_DUTY_FACTOR, SWEEP_PAUSE_KEY, pause_sweeps_after


async def test_a_slow_scan_pauses_the_sweeps_for_a_multiple_of_its_time(
    spare_redis: Redis,
) -> None:
    await pause_sweeps_after(spare_redis, 5.0)
    left = await spare_redis.pttl(SWEEP_PAUSE_KEY)
    assert 5_000 * SWEEP_DUTY_FACTOR - 2_000 < left <= 5_000 * SWEEP_DUTY_FACTOR


async def test_a_quick_scan_sets_no_pause(spare_redis: Redis) -> None:
    await pause_sweeps_after(spare_redis, 0.05)
    assert await spare_redis.exists(SWEEP_PAUSE_KEY) == 0


async def test_a_longer_pause_already_set_is_never_shortened(spare_redis: Redis) -> None:
    await spare_redis.set(SWEEP_PAUSE_KEY, 1, px=600_000)  # an operator holding sweeps off
    await pause_sweeps_after(spare_redis, 5.0)
    assert await spare_redis.pttl(SWEEP_PAUSE_KEY) > 590_000
    await spare_redis.set(SWEEP_PAUSE_KEY, 1, px=1_000)  # a short pause is extended
    await pause_sweeps_after(spare_redis, 5.0)
    assert await spare_redis.pttl(SWEEP_PAUSE_KEY) > 15_000
