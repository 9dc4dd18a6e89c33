"""The cache's in-process parts: the memory tier's bound, the state watch, budgets, encodings."""

from __future__ import annotations

import asyncio
import gzip

import pytest

from read_api.cache.budget import MissBudget, Overloaded, RefreshBudget
from read_api.cache.encoding import GZIP_MIN_BYTES, accepts_gzip, gzipped
from read_api.cache.local import LocalEntries, StateWatch
from read_api.cache.store import Answer, Entry, State


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _entry(body: bytes, generation: int = 1, epoch: int = 0, computed_ms: int = 0) -> Entry:
    return Entry(generation, Answer(200, body), epoch, computed_ms)


def test_the_memory_tier_drops_the_least_recently_used_beyond_its_bound() -> None:
    one = _entry(b"x" * 400)
    local = LocalEntries(max_bytes=3 * one.answer.size)
    for key in ("a", "b", "c"):
        local.put(key, one)
    assert local.get("a") is not None  # "a" is now the most recently used
    local.put("d", one)
    assert local.get("b") is None
    assert [local.get(k) is not None for k in ("a", "c", "d")] == [True, True, True]
    assert local.bytes <= local.max_bytes


def test_the_memory_tier_never_holds_an_entry_larger_than_its_bound() -> None:
    local = LocalEntries(max_bytes=100)
    local.put("big", _entry(b"x" * 1000))
    assert len(local) == 0
    assert local.bytes == 0


def test_the_memory_tier_keeps_the_newer_of_two_entries() -> None:
    local = LocalEntries(max_bytes=10_000)
    local.put("k", _entry(b"new", generation=5))
    local.put("k", _entry(b"old", generation=4))
    held = local.get("k")
    assert held is not None
    assert held.answer.body == b"new"
    local.put("k", _entry(b"newer", generation=6))
    held = local.get("k")
    assert held is not None
    assert held.answer.body == b"newer"
    assert local.bytes == _entry(b"newer").answer.size


def test_the_watch_advances_redis_clock_and_lapses_without_polls() -> None:
    clock = Clock()
    watch = StateWatch(store=None, poll_s=0.1, valid_s=0.3, timeout_s=0.1, clock=clock)  # type: ignore[arg-type]
    assert watch.current() is None  # nothing known before the first poll
    watch.observe(State(4, 1, 50_000))
    clock.now += 0.2
    assert watch.current() == State(4, 1, 50_200)
    clock.now += 0.2
    assert watch.current() is None  # polls stopped answering: memory is not trusted


def test_the_watch_resets_memory_on_a_new_epoch_or_a_generation_gone_back() -> None:
    resets: list[State] = []
    watch = StateWatch(store=None, poll_s=0.1, valid_s=1, timeout_s=0.1, clock=Clock())  # type: ignore[arg-type]
    watch.on_reset = lambda: resets.append(State(0, 0, 0))
    watch.observe(State(4, 1, 0))
    watch.observe(State(5, 1, 0))
    assert resets == []
    watch.observe(State(6, 2, 0))
    assert len(resets) == 1
    watch.observe(State(0, 2, 0))  # Redis restarted empty
    assert len(resets) == 2


def test_the_refresh_budget_bounds_concurrency_and_rate() -> None:
    clock = Clock()
    budget = RefreshBudget(concurrency=2, per_s=3, clock=clock)
    assert [budget.try_start() for _ in range(3)] == [True, True, False]  # 2 at once
    budget.finished()
    budget.finished()
    assert budget.try_start() is True  # the third token
    budget.finished()
    assert budget.try_start() is False  # 3 a second spent
    clock.now += 0.5  # one more token (3 a second)
    assert budget.try_start() is True


async def test_the_miss_budget_refuses_fast_when_no_slot_frees_up() -> None:
    budget = MissBudget(concurrency=1, wait_s=0.01)
    async with budget.slot():
        with pytest.raises(Overloaded):
            async with budget.slot():
                pass
    async with budget.slot():  # the slot came back
        await asyncio.sleep(0)


def test_gzip_is_made_once_deterministically_and_only_for_large_bodies() -> None:
    body = b'{"hits":[' + b'{"id":"p1","title":"case"},' * 100 + b"{}]}"
    packed = gzipped(body)
    assert packed is not None
    assert packed == gzipped(body)
    assert gzip.decompress(packed) == body
    assert len(packed) < len(body)
    assert gzipped(b"x" * (GZIP_MIN_BYTES - 1)) is None
    assert Answer.of(200, body).gzip == packed


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        (None, False),
        ("", False),
        ("gzip", True),
        ("deflate, gzip;q=0.5, br", True),
        ("GZIP", True),
        ("gzip;q=0", False),
        ("br", False),
        ("*", True),
        ("gzip;q=x", False),
    ],
)
def test_accept_encoding(header: str | None, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted
