"""The cache generation advances at most once per interval, with one trailing advance."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from catalog import cache_generation
from catalog.queue import mark_queued, take_queued


async def test_one_advance_per_interval_and_one_trailing_reservation(spare_redis: Redis) -> None:
    assert await cache_generation.current_generation(spare_redis) == 0
    first = await cache_generation.claim_advance(spare_redis, interval_ms=300)
    assert first.granted
    assert await cache_generation.advance(spare_redis) == 1
    second = await cache_generation.claim_advance(spare_redis, interval_ms=300)
    assert not second.granted
    assert 0 < second.wait_ms <= 300
    assert await cache_generation.reserve_trailing(spare_redis, second.wait_ms)
    assert not await cache_generation.reserve_trailing(spare_redis, second.wait_ms)
    await asyncio.sleep(second.wait_ms / 1000 + 0.05)
    await cache_generation.release_trailing(spare_redis)
    assert (await cache_generation.claim_advance(spare_redis, interval_ms=300)).granted
    assert await cache_generation.advance(spare_redis) == 2
    assert await cache_generation.current_generation(spare_redis) == 2


async def test_an_id_held_by_a_queued_task_is_not_sent_again(spare_redis: Redis) -> None:
    assert await mark_queued(spare_redis, ["a", "b"]) == ["a", "b"]
    assert await mark_queued(spare_redis, ["a", "c", "b"]) == ["c"]
    await take_queued(spare_redis, ["a"])  # its task started: later changes need a new one
    assert await mark_queued(spare_redis, ["a", "b"]) == ["a"]


async def test_a_change_coalesced_into_a_queued_task_sends_it_to_mongodb(
    spare_redis: Redis,
) -> None:
    # the queued task carries a at version 3 and b at version 7
    assert await mark_queued(spare_redis, ["a", "b"], versions={"a": 3, "b": 7}) == ["a", "b"]
    # a changes again (carried at 4, but not sent: coalesced), b again at an older version
    assert await mark_queued(spare_redis, ["a", "b"], versions={"a": 4, "b": 6}) == []
    taken = await take_queued(spare_redis, ["a", "b"])
    assert taken.marks == {"a": 4, "b": 7}
    assert taken.newer_than_carried({"a": 3, "b": 7}) == {"a"}
    # a change sent without its state marks for a read from MongoDB
    assert await mark_queued(spare_redis, ["c"], versions={"c": 2}) == ["c"]
    assert await mark_queued(spare_redis, ["c"]) == []
    assert (await take_queued(spare_redis, ["c"])).newer_than_carried({"c": 2}) == {"c"}
    # the marks are gone with the task that took them
    assert (await take_queued(spare_redis, ["a", "b", "c"])).marks == {}
