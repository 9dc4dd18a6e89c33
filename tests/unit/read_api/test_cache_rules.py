"""The cache's pure rules: freshness of an entry, the breaker, validators, client identity."""

from __future__ import annotations

import pytest

from catalog.apikeys import Principal
from catalog.secured_keys import Restrictions
from read_api.access import ANONYMOUS, Access
from read_api.cache.breaker import RedisBreaker
from read_api.cache.encoding import etag_of
from read_api.cache.http import HttpPolicy, etag_matches, gzip_etag, http_answer, wants_fresh
from read_api.cache.read_through import Served
from read_api.cache.store import Answer, Entry, State, age_ms, freshness
from read_api.rate_limit import client_identity

ANSWER = Answer(200, b"{}")
NOW_MS = 1_000_000
CEILING_MS = 5_000


def _entry(generation: int, age_ms: int, epoch: int = 3) -> Entry:
    return Entry(generation, ANSWER, epoch, NOW_MS - age_ms)


STATE = State(generation=7, epoch=3, now_ms=NOW_MS)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (None, "miss"),
        (_entry(7, 100), "hit"),
        (_entry(7, 50_000), "hit"),  # nothing changed since: however old, it is current
        (_entry(6, 100), "stale"),
        (_entry(3, 4_000), "stale"),  # several changes behind but younger than the ceiling
        (_entry(6, 5_000), "stale"),
        (_entry(6, 5_001), "miss"),  # older than the ceiling: never served
        (_entry(7, 100, epoch=2), "miss"),  # another epoch (a rebuild): never served
        (_entry(8, 100), "miss"),  # the generation went back (Redis restarted)
    ],
)
def test_freshness(entry: Entry | None, expected: str) -> None:
    assert freshness(entry, STATE, CEILING_MS) == expected


def test_no_stale_answers_with_a_zero_ceiling() -> None:
    assert freshness(_entry(6, 0), STATE, 0) == "stale"
    assert freshness(_entry(6, 1), STATE, 0) == "miss"


def test_the_age_is_measured_on_redis_clock_and_never_negative() -> None:
    assert age_ms(_entry(6, 1_234), STATE) == 1_234
    assert age_ms(Entry(6, ANSWER, 3, NOW_MS + 50), STATE) == 0


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


def test_a_client_is_its_verified_key_else_its_address() -> None:
    editor = Access(Principal("0123456789ab", "editor"))
    keyed = client_identity(_scope(), editor, 0)
    assert keyed == "key:0123456789ab"
    assert client_identity(_scope(), Access(Principal("ba9876543210", "admin")), 0) != keyed
    # nothing verified (a made-up key) or no key: the address
    assert client_identity(_scope(("X-API-Key", "made-up")), None, 0) == "ip:10.0.0.9"
    assert client_identity(_scope(), ANONYMOUS, 0) == "ip:10.0.0.9"


def test_a_search_key_and_its_secured_keys_count_per_address() -> None:
    search = Access(Principal("0123456789ab", "search"))
    here = client_identity(_scope(), search, 0)
    assert here == "search:0123456789ab:10.0.0.9"
    assert client_identity(_scope(client="10.0.0.10"), search, 0) != here
    secured = Access(Principal("0123456789ab", "search"), Restrictions(filters="brand:A"))
    assert client_identity(_scope(), secured, 0) == here


def test_forwarded_addresses_count_only_behind_trusted_proxies() -> None:
    forwarded = ("X-Forwarded-For", "1.1.1.1, 2.2.2.2, 3.3.3.3")
    assert client_identity(_scope(forwarded), None, 0) == "ip:10.0.0.9"
    assert client_identity(_scope(forwarded), None, 1) == "ip:3.3.3.3"
    assert client_identity(_scope(forwarded), None, 2) == "ip:2.2.2.2"
    # fewer addresses than proxies: the header was not written by them
    assert client_identity(_scope(("X-Forwarded-For", "")), None, 1) == "ip:10.0.0.9"


def test_the_gzip_form_has_its_own_strong_tag_and_both_revalidate() -> None:
    body = b'{"hits":[' + b'{"id":"p1"},' * 200 + b"{}]}"
    served = Served(Answer.of(200, body), "hit", 2_500)
    policy = HttpPolicy(1, 1)
    plain = http_answer(served, policy, get=True, if_none_match=None, accept_encoding=None)
    packed = http_answer(served, policy, get=True, if_none_match=None, accept_encoding="gzip")
    assert plain.body == body
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["ETag"] == gzip_etag(plain.headers["ETag"])
    assert (plain.headers["Age"], plain.headers["X-Cache"]) == ("2", "hit")
    for tag in (plain.headers["ETag"], packed.headers["ETag"]):
        again = http_answer(served, policy, get=True, if_none_match=tag, accept_encoding="gzip")
        assert (again.status, again.body) == (304, b"")
        assert "Content-Encoding" not in again.headers
    posted = http_answer(served, policy, get=False, if_none_match=None, accept_encoding="gzip")
    assert "ETag" not in posted.headers
    assert "Cache-Control" not in posted.headers
