"""The cache's pure rules: freshness of an entry, the breaker, validators, client identity."""

from __future__ import annotations

import pytest

from read_api.cache.breaker import RedisBreaker
from read_api.cache.http import HttpPolicy, etag_matches, etag_of, wants_fresh
from read_api.cache.store import Answer, Entry, Lookup, freshness
from read_api.rate_limit import client_identity

ANSWER = Answer(200, b"{}")


def _lookup(generation: int, changed_ms_ago: int, entry_generation: int | None) -> Lookup:
    entry = None if entry_generation is None else Entry(entry_generation, ANSWER)
    return Lookup(generation, changed_ms_ago, entry)


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        (_lookup(7, 100, None), "miss"),
        (_lookup(7, 100, 7), "hit"),
        (_lookup(7, 5_000, 7), "hit"),
        (_lookup(7, 100, 6), "stale"),
        (_lookup(7, 500, 6), "stale"),
        (_lookup(7, 501, 6), "miss"),  # the window is over
        (_lookup(7, -1, 6), "miss"),  # nobody saw when the generation changed
        (_lookup(7, 100, 5), "miss"),  # two changes behind: older than the window allows
        (_lookup(7, 100, 8), "miss"),  # the generation went back (Redis restarted)
    ],
)
def test_freshness(found: Lookup, expected: str) -> None:
    assert freshness(found, stale_window_ms=500) == expected


def test_no_stale_answers_with_a_zero_window() -> None:
    assert freshness(_lookup(7, 0, 6), stale_window_ms=0) == "stale"
    assert freshness(_lookup(7, 1, 6), stale_window_ms=0) == "miss"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_skips_redis_after_a_failure_then_lets_one_request_try() -> None:
    clock = Clock()
    breaker = RedisBreaker(open_s=5, clock=clock)
    assert breaker.allow()
    breaker.failed(ConnectionError("refused"))
    assert breaker.is_open
    assert not breaker.allow()
    clock.now += 5
    assert breaker.allow()  # the trial
    assert not breaker.allow()  # everyone else still skips Redis meanwhile
    breaker.failed(ConnectionError("refused"))
    clock.now += 4.9
    assert not breaker.allow()
    clock.now += 0.1
    assert breaker.allow()
    breaker.succeeded()
    assert not breaker.is_open
    assert breaker.allow()
    assert breaker.allow()


def test_etags_are_strong_and_follow_the_body() -> None:
    tag = etag_of(b'{"a":1}')
    assert tag.startswith('"')  # strong: no W/
    assert tag.endswith('"')
    assert tag == etag_of(b'{"a":1}')
    assert tag != etag_of(b'{"a":2}')


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        (None, False),
        ("", False),
        ('"abc"', True),
        ('W/"abc"', True),
        ('"x", "abc"', True),
        ('"x","y"', False),
        ("*", True),
        ("abc", False),
    ],
)
def test_if_none_match(header: str | None, matches: bool) -> None:
    assert etag_matches(header, '"abc"') is matches


@pytest.mark.parametrize(
    ("header", "fresh"),
    [(None, False), ("max-age=0", False), ("no-cache", True), ("max-age=0, No-Cache", True)],
)
def test_no_cache_asks_for_a_fresh_answer(header: str | None, fresh: bool) -> None:
    assert wants_fresh(header) is fresh


def test_cache_control_names_both_bounds() -> None:
    assert HttpPolicy(1, 2).cache_control == "public, max-age=1, stale-while-revalidate=2"


def _scope(*headers: tuple[str, str], client: str = "10.0.0.9") -> dict[str, object]:
    return {
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
        "client": (client, 50000),
    }


def test_a_client_is_its_api_key_else_its_address() -> None:
    keyed = client_identity(_scope(("X-API-Key", "secret-1")), "X-API-Key", 0)
    assert keyed.startswith("key:")
    assert "secret" not in keyed
    assert keyed != client_identity(_scope(("X-API-Key", "secret-2")), "X-API-Key", 0)
    assert client_identity(_scope(), "X-API-Key", 0) == "ip:10.0.0.9"


def test_forwarded_addresses_count_only_behind_trusted_proxies() -> None:
    forwarded = ("X-Forwarded-For", "1.1.1.1, 2.2.2.2, 3.3.3.3")
    assert client_identity(_scope(forwarded), "X-API-Key", 0) == "ip:10.0.0.9"
    assert client_identity(_scope(forwarded), "X-API-Key", 1) == "ip:3.3.3.3"
    assert client_identity(_scope(forwarded), "X-API-Key", 2) == "ip:2.2.2.2"
    # fewer addresses than proxies: the header was not written by them
    assert client_identity(_scope(("X-Forwarded-For", "")), "X-API-Key", 1) == "ip:10.0.0.9"
