"""The rate limiter's local lease bookkeeping, on a fake clock and a fake bucket."""

from __future__ import annotations

from read_api.rate_leases import FIRST_LEASE, Decision, Grant, LocalLeases

LEASE_S = 0.25
LEASE_MAX = 8


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeBucket:
    """The Redis script's arithmetic without refill: grants min(wanted, tokens)."""

    RETRY_MS = 5000

    def __init__(self, tokens: int) -> None:
        self.tokens = tokens
        self.asked: list[int] = []

    def take(self, wanted: int) -> Grant:
        self.asked.append(wanted)
        granted = min(wanted, self.tokens)
        self.tokens -= granted
        retry = 0 if granted else self.RETRY_MS
        return Grant(granted, self.tokens, retry, 60_000)


def _leases(clock: FakeClock, max_clients: int = 100) -> LocalLeases:
    return LocalLeases(LEASE_S, LEASE_MAX, max_clients, clock)


def _check(leases: LocalLeases, bucket: FakeBucket, identity: str = "c") -> Decision:
    """What `RateLimiter.check` does, with the fake bucket standing for Redis."""
    decision = leases.spend(identity)
    if decision is not None:
        return decision
    wanted = leases.wanted(identity)
    return leases.record(identity, wanted, bucket.take(wanted))


def test_a_new_client_asks_for_one_token_and_the_leases_double_while_spent() -> None:
    clock = FakeClock()
    leases, bucket = _leases(clock), FakeBucket(100)
    for _ in range(1 + 2 + 4 + 8 + 8):
        assert _check(leases, bucket).allowed
    assert bucket.asked == [FIRST_LEASE, 2, 4, 8, LEASE_MAX]


def test_spending_a_lease_asks_nothing_of_redis() -> None:
    clock = FakeClock()
    leases, bucket = _leases(clock), FakeBucket(100)
    _check(leases, bucket)
    _check(leases, bucket)  # a lease of 2: one spent now
    assert leases.spend("c") == Decision(True, 100 - 3, 0, 60_000)
    assert leases.spend("c") is None  # used up: ask Redis


def test_remaining_is_the_bucket_as_last_reported_plus_the_unspent_lease() -> None:
    clock = FakeClock()
    leases, bucket = _leases(clock), FakeBucket(3)
    remaining = [_check(leases, bucket).remaining for _ in range(3)]
    assert remaining == [2, 1, 0]


def test_unspent_tokens_lapse_and_the_next_lease_is_smaller() -> None:
    clock = FakeClock()
    leases, bucket = _leases(clock), FakeBucket(100)
    for _ in range(1 + 2 + 1):
        _check(leases, bucket)  # leases of 1, 2, 4: three of the 4 unspent
    clock.now += LEASE_S
    assert leases.spend("c") is None
    assert leases.wanted("c") == 2
    _check(leases, bucket)
    assert bucket.tokens == 100 - 1 - 2 - 4 - 2  # the lapsed ones never came back


def test_a_client_seen_now_and_then_keeps_leases_of_one() -> None:
    clock = FakeClock()
    leases, bucket = _leases(clock), FakeBucket(100)
    for _ in range(5):
        assert _check(leases, bucket).allowed
        clock.now += 10 * LEASE_S
    assert bucket.asked == [FIRST_LEASE] * 5


def test_leases_never_exceed_the_maximum() -> None:
    clock = FakeClock()
    leases, bucket = _leases(clock), FakeBucket(1000)
    for _ in range(200):
        _check(leases, bucket)
    assert max(bucket.asked) == LEASE_MAX


def test_a_refusal_is_kept_until_its_retry_after_without_asking_redis() -> None:
    clock = FakeClock()
    leases, bucket = _leases(clock), FakeBucket(1)
    assert _check(leases, bucket).allowed
    refused = _check(leases, bucket)
    assert not refused.allowed
    assert refused.retry_after_ms == FakeBucket.RETRY_MS
    asked = len(bucket.asked)
    clock.now += 1.0
    again = _check(leases, bucket)
    assert not again.allowed
    assert again.retry_after_ms == FakeBucket.RETRY_MS - 1000
    assert len(bucket.asked) == asked
    clock.now += FakeBucket.RETRY_MS / 1000
    bucket.tokens = 1  # refilled meanwhile
    assert _check(leases, bucket).allowed
    assert len(bucket.asked) == asked + 1


def test_the_time_to_a_full_bucket_counts_down_locally() -> None:
    clock = FakeClock()
    leases, bucket = _leases(clock), FakeBucket(100)
    _check(leases, bucket)
    _check(leases, bucket)
    clock.now += 0.1
    decision = leases.spend("c")
    assert decision is not None
    assert decision.full_in_ms == 60_000 - 100


def test_a_concurrent_lease_joins_the_one_already_held() -> None:
    clock = FakeClock()
    leases, bucket = _leases(clock), FakeBucket(100)
    _check(leases, bucket)
    # two requests found the lease empty and asked Redis at the same time
    first, second = leases.wanted("c"), leases.wanted("c")
    grant_first, grant_second = bucket.take(first), bucket.take(second)
    assert leases.record("c", first, grant_first).allowed
    assert leases.record("c", second, grant_second).allowed
    spent_locally = 0
    while leases.spend("c") is not None:
        spent_locally += 1
    assert spent_locally == first + second - 2  # every leased token is spendable


def test_a_refusal_spends_a_concurrent_lease_first() -> None:
    clock = FakeClock()
    leases, bucket = _leases(clock), FakeBucket(3)
    _check(leases, bucket)
    wanted = leases.wanted("c")
    granted = bucket.take(wanted)  # the last 2 tokens
    refused = bucket.take(wanted)  # a concurrent request finds none
    assert leases.record("c", wanted, granted).allowed
    assert leases.record("c", wanted, refused).allowed  # the first lease had one left
    assert not _check(leases, bucket).allowed


def test_the_table_keeps_only_the_most_recent_clients() -> None:
    clock = FakeClock()
    leases, bucket = _leases(clock, max_clients=3), FakeBucket(1000)
    for address in range(50):
        _check(leases, bucket, f"ip:10.0.0.{address}")
        assert len(leases) <= 3
    _check(leases, bucket, "ip:10.0.0.47")  # seen again: now the most recent
    _check(leases, bucket, "ip:10.0.0.50")
    assert len(leases) == 3
    assert "ip:10.0.0.47" in leases
    assert "ip:10.0.0.48" not in leases  # the least recently seen went first
