"""Leases of rate-limit tokens held by one read API process: the hot path of the rate limiter.

A process takes tokens from a client's shared bucket in Redis a lease at a
time and spends them locally, so most requests cost no Redis round trip.
This module is the local bookkeeping only (pure, on an injected clock); the
Redis script that grants leases is in `read_api.rate_limit`.

- A lease lives `lease_s`; its unspent tokens then lapse. They are never
  given back: the shared bucket is never overdrawn.
- The first lease of a client is `FIRST_LEASE` token. A lease spent before
  it lapsed makes the next one `GROWTH` times larger, up to `lease_max`; a
  lease that lapsed unspent makes the next one `GROWTH` times smaller. A
  client seen now and then thus costs one token per request, and a busy one
  one Redis call per `lease_max` requests.
- A refusal (Redis granted nothing) is remembered until Redis's retry-after:
  until then the client is refused here without asking Redis. That is safe,
  since a bucket only refills with time.
- At most `max_clients` clients are remembered; the least recently seen is
  forgotten first. Forgetting only loses a lease (its tokens lapse) or a
  remembered refusal (Redis is asked again), so it never lets a client
  exceed its bucket.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

FIRST_LEASE = 1  # tokens the first lease of a client asks for
GROWTH = 2  # factor between the sizes of consecutive leases
MS_PER_S = 1000


@dataclass(frozen=True, slots=True)
class Decision:
    """The limiter's answer: allowed or not, tokens left, and waits in milliseconds.

    `remaining` estimates the tokens the client has left: those the bucket
    held when Redis last answered this process, plus the tokens this process
    holds unspent. It does not see what other processes took or hold since,
    nor what refilled since.
    """

    allowed: bool
    remaining: int
    retry_after_ms: int
    full_in_ms: int


@dataclass(frozen=True, slots=True)
class Grant:
    """Redis's answer to a lease request: tokens granted, tokens left in the bucket, waits."""

    granted: int
    left: int
    retry_after_ms: int
    full_in_ms: int


@dataclass(slots=True)
class _Lease:
    """What one process knows of one client."""

    size: int = FIRST_LEASE  # tokens the last lease asked for
    tokens: int = 0  # leased and not yet spent
    expires: float = 0.0  # when unspent tokens lapse
    refused_until: float = 0.0  # refused without asking Redis until then
    left: int = 0  # tokens in the bucket when Redis last answered
    full_at: float = 0.0  # when the bucket would be full, as Redis last answered


def _ms_until(moment: float, now: float) -> int:
    return max(0, math.ceil((moment - now) * MS_PER_S))


class LocalLeases:
    """Per-client leases of one process: spend a local token, or say Redis must be asked."""

    def __init__(
        self,
        lease_s: float,
        lease_max: int,
        max_clients: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lease_s = lease_s
        self.lease_max = lease_max
        self.max_clients = max_clients
        self._clock = clock
        self._leases: OrderedDict[str, _Lease] = OrderedDict()

    def __len__(self) -> int:
        """Clients remembered."""
        return len(self._leases)

    def __contains__(self, identity: object) -> bool:
        """Whether this client is remembered."""
        return identity in self._leases

    def spend(self, identity: str) -> Decision | None:
        """The local decision for one request, or None when Redis must be asked for a lease."""
        lease = self._leases.get(identity)
        if lease is None:
            return None
        self._leases.move_to_end(identity)
        now = self._clock()
        if now < lease.refused_until:
            return self._refusal(lease, now)
        if lease.tokens > 0 and now < lease.expires:
            lease.tokens -= 1
            return self._allowance(lease, now)
        return None

    def wanted(self, identity: str) -> int:
        """How many tokens the next lease of this client asks Redis for."""
        lease = self._leases.get(identity)
        if lease is None:
            return min(FIRST_LEASE, self.lease_max)
        lapsed = self._clock() >= lease.expires
        if lease.tokens > 0 and lapsed:
            return max(FIRST_LEASE, lease.size // GROWTH)
        if lease.tokens == 0 and not lapsed:
            return min(self.lease_max, lease.size * GROWTH)
        return min(self.lease_max, lease.size)

    def record(self, identity: str, wanted: int, grant: Grant) -> Decision:
        """Keep a lease Redis granted and decide the request that asked for it."""
        now = self._clock()
        lease = self._remember(identity)
        lease.size = wanted
        lease.left = grant.left
        lease.full_at = now + grant.full_in_ms / MS_PER_S
        live = lease.tokens if now < lease.expires else 0
        if grant.granted > 0:
            # tokens a concurrent request leased join this lease and live as long
            lease.expires = now + self.lease_s
            lease.refused_until = 0.0
        lease.tokens = live + grant.granted
        if lease.tokens == 0:
            lease.refused_until = now + grant.retry_after_ms / MS_PER_S
            return self._refusal(lease, now)
        lease.tokens -= 1
        return self._allowance(lease, now)

    def _remember(self, identity: str) -> _Lease:
        lease = self._leases.get(identity)
        if lease is not None:
            self._leases.move_to_end(identity)
            return lease
        while len(self._leases) >= self.max_clients:
            self._leases.popitem(last=False)
        lease = self._leases[identity] = _Lease()
        return lease

    def _allowance(self, lease: _Lease, now: float) -> Decision:
        return Decision(True, lease.left + lease.tokens, 0, _ms_until(lease.full_at, now))

    def _refusal(self, lease: _Lease, now: float) -> Decision:
        retry_ms = max(1, _ms_until(lease.refused_until, now))
        return Decision(False, lease.left + lease.tokens, retry_ms, _ms_until(lease.full_at, now))
