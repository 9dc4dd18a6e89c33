"""The read-through cache on a real Redis: hits, single flight, bounded staleness, budgets, outages.

Two ReadCache objects stand for two read API processes: each has its own
flights, budgets and in-process tier, and they share only Redis.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import itertools
import time
import uuid
from collections.abc import Awaitable, Callable

import pytest
from redis.asyncio import Redis

from catalog.cache_generation import GENERATION_KEY, advance_epoch
from read_api.cache.breaker import RedisBreaker
from read_api.cache.budget import Overloaded
from read_api.cache.metrics import CACHE_REQUESTS
from read_api.cache.read_through import CachePolicy, ReadCache
from read_api.cache.store import Answer, CacheStore, Entry, lock_key

POLICY = CachePolicy(
    enabled=True,
    ttl_ms=60_000,
    # long bounds, so a busy machine cannot change the outcome
    stale_ceiling_ms=60_000,
    lock_wait_s=30,
    redis_timeout_s=5,
    local_max_bytes=0,  # the Redis tier alone; the in-process tier has tests of its own
)


async def wait_for_async(
    condition: Callable[[], bool | Awaitable[bool]], deadline_s: float, what: str
) -> None:
    """Poll `condition` (without blocking the loop) until it holds, or fail naming `what`."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        result = condition()
        if await result if inspect.isawaitable(result) else result:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{what} did not happen within {deadline_s:g}s")


class Search:
    """Stands in for Elasticsearch: numbered answers, optionally held until released."""

    def __init__(self) -> None:
        self.calls = 0
        self.release = asyncio.Event()
        self.release.set()
        self._numbers = itertools.count(1)

    async def __call__(self) -> Answer:
        self.calls += 1
        number = next(self._numbers)
        await self.release.wait()
        return Answer(200, f'{{"answer":{number}}}'.encode(), total=number)


def _cache(redis: Redis, policy: CachePolicy = POLICY) -> ReadCache:
    return ReadCache(CacheStore(redis), RedisBreaker(5), policy)


def _key() -> str:
    return f"catalog:rc:test:{uuid.uuid4().hex}"


async def test_a_miss_is_stored_and_then_served_byte_for_byte(spare_redis: Redis) -> None:
    cache, search, key = _cache(spare_redis), Search(), _key()
    first = await cache.fetch(key, search)
    second = await cache.fetch(key, search)
    assert (first.state, second.state) == ("miss", "hit")
    assert second.answer == first.answer
    assert search.calls == 1


async def test_a_burst_of_misses_in_one_process_searches_once(spare_redis: Redis) -> None:
    cache, search, key = _cache(spare_redis), Search(), _key()
    search.release.clear()
    burst = [asyncio.create_task(cache.fetch(key, search)) for _ in range(20)]
    await wait_for_async(lambda: search.calls > 0, 30, "the search started")
    await asyncio.sleep(0.1)  # let every request reach the shared computation
    search.release.set()
    served = await asyncio.gather(*burst)
    assert search.calls == 1
    assert {s.answer.body for s in served} == {b'{"answer":1}'}


async def test_another_process_waits_for_the_one_holding_the_lock(spare_redis: Redis) -> None:
    key = _key()
    first, second = _cache(spare_redis), _cache(spare_redis)  # separate flights: two processes
    first_search, second_search = Search(), Search()
    first_search.release.clear()
    leading = asyncio.create_task(first.fetch(key, first_search))

    async def locked() -> bool:
        return bool(await spare_redis.exists(lock_key(key, 0)))

    await wait_for_async(locked, 30, "the first process took the lock")
    waiting = asyncio.create_task(second.fetch(key, second_search))
    await asyncio.sleep(0.1)
    first_search.release.set()
    led, waited = await asyncio.gather(leading, waiting)
    assert second_search.calls == 0
    assert waited.answer == led.answer
    # kept until it expires: a process that saw no answer a moment ago does not search again
    assert await spare_redis.exists(lock_key(key, 0))


async def test_after_an_advance_the_old_answer_is_stale_while_one_refresh_runs(
    spare_redis: Redis,
) -> None:
    cache, search, key = _cache(spare_redis), Search(), _key()
    assert (await cache.fetch(key, search)).state == "miss"
    await spare_redis.incr(GENERATION_KEY)
    search.release.clear()
    stale = [await cache.fetch(key, search) for _ in range(3)]
    assert {s.state for s in stale} == {"stale"}
    assert {s.answer.body for s in stale} == {b'{"answer":1}'}
    search.release.set()
    await wait_for_async(lambda: not cache._flights, 30, "the refresh finished")
    assert search.calls == 2  # one refresh for the three stale answers
    fresh = await cache.fetch(key, search)
    assert (fresh.state, fresh.answer.body) == ("hit", b'{"answer":2}')


async def _one_generation_behind(
    redis: Redis, refresh_wait_s: float
) -> tuple[ReadCache, Search, str]:
    """A cache holding answer 1 for a key, the generation advanced since."""
    waiting = dataclasses.replace(POLICY, refresh_wait_s=refresh_wait_s)
    cache, search, key = _cache(redis, waiting), Search(), _key()
    await cache.fetch(key, search)
    await redis.incr(GENERATION_KEY)
    return cache, search, key


async def test_a_refresh_landing_within_the_refresh_wait_is_served_fresh(
    spare_redis: Redis,
) -> None:
    # a wait far longer than the refresh takes: the answer is the new one
    cache, search, key = await _one_generation_behind(spare_redis, refresh_wait_s=30)
    refreshed = await cache.fetch(key, search)
    assert (refreshed.state, refreshed.answer.body) == ("miss", b'{"answer":2}')
    assert (await cache.fetch(key, search)).state == "hit"


async def test_a_refresh_slower_than_the_wait_serves_the_old_answer_and_lands_later(
    spare_redis: Redis,
) -> None:
    cache, search, key = await _one_generation_behind(spare_redis, refresh_wait_s=0.05)
    search.release.clear()  # the refresh hangs until released
    served = await cache.fetch(key, search)
    assert (served.state, served.answer.body) == ("stale", b'{"answer":1}')
    assert cache._flights  # not cancelled by the request that stopped waiting
    search.release.set()
    await wait_for_async(lambda: not cache._flights, 30, "the refresh finished")
    fresh = await cache.fetch(key, search)
    assert (fresh.state, fresh.answer.body) == ("hit", b'{"answer":2}')


async def test_several_advances_behind_but_within_the_ceiling_is_stale(spare_redis: Redis) -> None:
    cache, search, key = _cache(spare_redis), Search(), _key()
    await cache.fetch(key, search)
    await spare_redis.incrby(GENERATION_KEY, 5)  # five batches published since
    served = await cache.fetch(key, search)
    assert (served.state, served.answer.body) == ("stale", b'{"answer":1}')


async def test_an_answer_older_than_the_staleness_ceiling_is_never_served(
    spare_redis: Redis,
) -> None:
    ceiling = dataclasses.replace(POLICY, stale_ceiling_ms=200)
    cache, search, key = _cache(spare_redis, ceiling), Search(), _key()
    await cache.fetch(key, search)
    await spare_redis.incr(GENERATION_KEY)
    await asyncio.sleep(0.3)  # the answer is now older than the ceiling
    served = await cache.fetch(key, search)
    assert (served.state, served.answer.body) == ("miss", b'{"answer":2}')


async def test_a_current_answer_is_a_hit_however_old(spare_redis: Redis) -> None:
    ceiling = dataclasses.replace(POLICY, stale_ceiling_ms=0)
    cache, search, key = _cache(spare_redis, ceiling), Search(), _key()
    await cache.fetch(key, search)
    await asyncio.sleep(0.05)
    served = await cache.fetch(key, search)
    assert (served.state, served.answer.body) == ("hit", b'{"answer":1}')
    assert served.age_ms >= 50  # Age: how long ago the answer was computed


async def test_a_new_epoch_retires_every_answer_at_once(spare_redis: Redis) -> None:
    cache, search, key = _cache(spare_redis), Search(), _key()
    await cache.fetch(key, search)
    await advance_epoch(spare_redis)  # a rebuild swapped the index
    served = await cache.fetch(key, search)
    assert (served.state, served.answer.body) == ("miss", b'{"answer":2}')


async def test_an_older_answer_never_replaces_a_newer_one(spare_redis: Redis) -> None:
    store, key = CacheStore(spare_redis), _key()
    await spare_redis.set(GENERATION_KEY, 5)
    assert await store.put(key, Entry(5, Answer(200, b"new")), 60_000)
    assert not await store.put(key, Entry(4, Answer(200, b"old")), 60_000)
    found = await store.lookup(key)
    assert found.entry is not None
    assert (found.state.generation, found.entry.generation, found.entry.answer.body) == (
        5,
        5,
        b"new",
    )


async def test_refreshes_beyond_the_budget_serve_the_outdated_answer_as_it_is(
    spare_redis: Redis,
) -> None:
    one_at_a_time = dataclasses.replace(POLICY, refresh_concurrency=1)
    cache, search = _cache(spare_redis, one_at_a_time), Search()
    popular, other = _key(), _key()
    await cache.fetch(popular, search)
    await cache.fetch(other, search)
    await spare_redis.incr(GENERATION_KEY)
    search.release.clear()
    first = await cache.fetch(popular, search)  # starts the one refresh the budget allows
    second = await cache.fetch(other, search)  # over the budget: no search started
    assert (first.state, second.state) == ("stale", "stale")
    await wait_for_async(lambda: search.calls == 3, 30, "the one refresh is searching")
    await asyncio.sleep(0.1)  # time for a refresh the budget should not have started
    assert search.calls == 3
    assert cache.refreshes.running == 1
    search.release.set()
    await wait_for_async(lambda: not cache._flights, 30, "the refresh finished")
    assert cache.refreshes.running == 0
    assert (await cache.fetch(popular, search)).state == "hit"
    assert (await cache.fetch(other, search)).state == "stale"  # its refresh starts now
    await wait_for_async(lambda: not cache._flights, 30, "the second refresh finished")
    assert (await cache.fetch(other, search)).state == "hit"


async def test_one_refresh_across_two_processes(spare_redis: Redis) -> None:
    key = _key()
    first, second = _cache(spare_redis), _cache(spare_redis)
    first_search, second_search = Search(), Search()
    await first.fetch(key, first_search)
    assert (await second.fetch(key, second_search)).state == "hit"
    await spare_redis.incr(GENERATION_KEY)
    first_search.release.clear()
    second_search.release.clear()
    served = [await first.fetch(key, first_search)]
    await wait_for_async(lambda: first_search.calls == 2, 30, "the first process refreshes")
    served += [await second.fetch(key, second_search), await second.fetch(key, second_search)]
    served.append(await first.fetch(key, first_search))
    assert {s.state for s in served} == {"stale"}
    first_search.release.set()
    second_search.release.set()
    await wait_for_async(lambda: not first._flights and not second._flights, 30, "refreshed")
    # one search at the start, and one refresh between both processes
    assert first_search.calls + second_search.calls == 2
    assert (await first.fetch(key, first_search)).state == "hit"
    assert (await second.fetch(key, second_search)).state == "hit"


async def test_misses_beyond_the_budget_are_refused_fast_not_queued(spare_redis: Redis) -> None:
    narrow = dataclasses.replace(POLICY, miss_concurrency=1, miss_wait_s=0.05)
    cache, search = _cache(spare_redis, narrow), Search()
    search.release.clear()
    busy = asyncio.create_task(cache.fetch(_key(), search))
    await wait_for_async(lambda: search.calls == 1, 30, "the first miss is searching")
    with pytest.raises(Overloaded):
        await cache.fetch(_key(), search)
    assert search.calls == 1
    search.release.set()
    assert (await busy).state == "miss"
    assert (await cache.fetch(_key(), search)).state == "miss"  # the slot is free again


def _local_hits() -> float:
    return CACHE_REQUESTS.labels("hit", "local")._value.get()


async def test_the_memory_tier_answers_hits_and_learns_of_new_data_from_redis(
    spare_redis: Redis,
) -> None:
    polling = dataclasses.replace(POLICY, local_max_bytes=1 << 20, local_poll_s=0.02)
    key = _key()
    first, second = _cache(spare_redis, polling), _cache(spare_redis, polling)
    first.start()
    second.start()
    try:
        first_search = Search()

        async def new_answer() -> Answer:
            return Answer.of(200, b'{"answer":"new"}')

        assert (await first.fetch(key, first_search)).state == "miss"
        before = _local_hits()
        hit = await first.fetch(key, first_search)
        assert (hit.state, hit.answer.body) == ("hit", b'{"answer":1}')
        assert _local_hits() == before + 1  # from memory: no round trip
        assert first_search.calls == 1
        generation = int(await spare_redis.incr(GENERATION_KEY))
        # the other process computes the new answer (an editor's no-cache read)
        await second.fetch(key, new_answer, read=False)

        def learned() -> bool:
            state = first.watch.current()
            return state is not None and state.generation == generation

        await wait_for_async(learned, 30, "the first process polled the new generation")
        outdated = await first.fetch(key, first_search)
        assert (outdated.state, outdated.answer.body) == ("stale", b'{"answer":1}')
        await wait_for_async(lambda: not first._flights, 30, "the refresh looked into Redis")
        fresh = await first.fetch(key, first_search)
        assert (fresh.state, fresh.answer.body) == ("hit", b'{"answer":"new"}')
        assert first_search.calls == 1  # it took the other process's answer, searched nothing
    finally:
        await first.close()
        await second.close()


async def test_the_memory_tier_serves_nothing_once_polls_stop(unreachable_redis: Redis) -> None:
    polling = dataclasses.replace(POLICY, local_max_bytes=1 << 20, local_poll_s=0.02)
    cache, search, key = _cache(unreachable_redis, polling), Search(), _key()
    cache.local.put(key, Entry(0, Answer(200, b"held")))
    cache.start()
    try:
        served = await cache.fetch(key, search)
        assert served.state == "bypass"  # no state known: memory is not trusted
    finally:
        await cache.close()


async def test_no_cache_skips_the_entry_but_stores_the_new_answer(spare_redis: Redis) -> None:
    cache, search, key = _cache(spare_redis), Search(), _key()
    await cache.fetch(key, search)
    fresh = await cache.fetch(key, search, read=False)
    assert (fresh.state, fresh.answer.body) == ("miss", b'{"answer":2}')
    again = await cache.fetch(key, search)
    assert (again.state, again.answer.body) == ("hit", b'{"answer":2}')


async def test_not_found_is_cached_and_other_statuses_are_not(spare_redis: Redis) -> None:
    cache, key = _cache(spare_redis), _key()

    async def not_found() -> Answer:
        return Answer(404, b'{"detail":"no"}')

    await cache.fetch(key, not_found)
    assert (await cache.fetch(key, not_found)).state == "hit"

    async def refused() -> Answer:
        return Answer(400, b"{}")

    other = _key()
    await cache.fetch(other, refused)
    assert (await cache.fetch(other, refused)).state == "miss"


async def test_with_redis_unreachable_requests_bypass_the_cache(unreachable_redis: Redis) -> None:
    cache, search, key = _cache(unreachable_redis), Search(), _key()
    served = [await cache.fetch(key, search) for _ in range(3)]
    assert {s.state for s in served} == {"bypass"}
    assert search.calls == 3
    assert cache.breaker.is_open
