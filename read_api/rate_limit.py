"""Per-client rate limits: a token bucket in Redis, spent through local leases.

A client is its verified API key, a `search` key (or a secured key made from
it) with its address, or else its address; behind trusted proxies, the
address they appended to `X-Forwarded-For`. A key nobody verified yet counts
against the address, so made-up keys never open fresh buckets. Each client's bucket holds
up to `burst` tokens and refills at `per_s` a second on Redis's clock, so
every replica shares it.

The hot path costs no Redis round trip: each process takes tokens from the
bucket a lease at a time (one atomic script grants up to the tokens asked
for, never more than the bucket holds), spends them locally, and lets the
unspent ones lapse after `rate_limit_lease_s` (`read_api.rate_leases`).
Leases start at one token and double, up to `rate_limit_lease_max`, while
the client spends them up. A refused client is refused locally until its
retry-after, without asking Redis.

Tolerance: the shared bucket is never overdrawn, since leased tokens are
taken out of it and never given back. A client spread over P processes may
be refused up to about (P-1) x `rate_limit_lease_max` tokens early (the
tokens leased in the other processes, until they lapse), and a refusal is
decided locally until its retry-after passes. `X-RateLimit-Remaining` is an
estimate: what Redis last reported to this process plus its unspent lease.

With Redis failing, requests pass unchecked (fail open) rather than fail:
the breaker shared with the cache skips Redis for a while and logs once.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

import orjson
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from catalog.apikeys import PARENT_ROLES
from catalog.settings import Settings
from catalog.web.forwarded import client_address as client_address  # shared with the access log
from read_api.access import Access, AccessResolver
from read_api.cache.breaker import RedisBreaker
from read_api.cache.metrics import RATE_LIMIT_REQUESTS
from read_api.open_paths import is_operations
from read_api.rate_leases import Decision as Decision  # re-exported: the limiter's answer
from read_api.rate_leases import Grant, LocalLeases

KEY_PREFIX = "catalog:rl:"

# KEYS[1]: the bucket; ARGV: refill per second, burst, tokens wanted.
# Grants min(wanted, floor(tokens)); returns granted, tokens left, retry-after ms, full-in ms.
_LEASE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1])
local ts = tonumber(b[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
local granted = math.max(0, math.min(wanted, math.floor(tokens)))
tokens = tokens - granted
local retry = 0
if granted == 0 then
  retry = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {granted, math.floor(tokens), retry, math.ceil((burst - tokens) * 1000 / rate)}
"""


def client_identity(scope: Scope, access: Access | None, trusted_proxies: int) -> str:
    """Whom a request counts against: a verified key, else its (proxied) address.

    Only a key already verified in this process names a bucket of its own, so
    made-up keys all count against their sender's address. A `search` key
    (and any secured key made from it) is public, shipped in every shopper's
    browser, so it names a client only together with the address, as
    Algolia's per-IP limits of a key do.
    """
    address = client_address(scope, trusted_proxies)
    principal = access.principal if access is not None else None
    if principal is None:
        return "ip:" + address
    if access is not None and (access.restrictions is not None or principal.role in PARENT_ROLES):
        return f"search:{principal.key_id}:{address}"
    return "key:" + principal.key_id


class RateLimiter:
    """Spends one token of a client's bucket per request, from a local lease when it can."""

    def __init__(
        self,
        redis: Redis,
        breaker: RedisBreaker,
        settings: Settings,
        clock: Callable[[], float] = time.monotonic,
        resolver: AccessResolver | None = None,
    ) -> None:
        self.resolver = resolver
        self._lease = redis.register_script(_LEASE)
        self.breaker = breaker
        self.per_s = settings.rate_limit_per_s
        self.burst = settings.rate_limit_burst
        self.trusted_proxies = settings.rate_limit_trusted_proxies
        self.timeout_s = settings.cache_redis_timeout_s
        self.leases = LocalLeases(
            settings.rate_limit_lease_s,
            min(settings.rate_limit_lease_max, self.burst),
            settings.rate_limit_local_clients,
            clock,
        )

    async def check(self, scope: Scope) -> Decision | None:
        """The decision for a request, or None when Redis cannot be asked (the request passes)."""
        access = self.resolver.peek(scope) if self.resolver is not None else None
        identity = client_identity(scope, access, self.trusted_proxies)
        decision = self.leases.spend(identity)
        if decision is not None:
            return decision
        if not self.breaker.allow():
            return None
        wanted = self.leases.wanted(identity)
        try:
            grant = await self._take(identity, wanted)
        except (RedisError, OSError, TimeoutError) as exc:
            self.breaker.failed(exc)
            return None
        self.breaker.succeeded()
        return self.leases.record(identity, wanted, grant)

    async def _take(self, identity: str, wanted: int) -> Grant:
        async with asyncio.timeout(self.timeout_s):
            granted, left, retry, full = await self._lease(
                keys=[KEY_PREFIX + identity], args=[self.per_s, self.burst, wanted]
            )
        return Grant(int(granted), int(left), int(retry), int(full))

    def headers(self, decision: Decision) -> list[tuple[bytes, bytes]]:
        """The `X-RateLimit-*` headers of an answer."""
        return [
            (b"x-ratelimit-limit", str(self.burst).encode()),
            (b"x-ratelimit-remaining", str(decision.remaining).encode()),
            (b"x-ratelimit-reset", str(math.ceil(decision.full_in_ms / 1000)).encode()),
        ]


async def _too_many(send: Send, decision: Decision, headers: list[tuple[bytes, bytes]]) -> None:
    retry_after = max(1, math.ceil(decision.retry_after_ms / 1000))
    body = orjson.dumps({"detail": f"too many requests, retry after {retry_after} s"})
    start: Message = {
        "type": "http.response.start",
        "status": 429,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(retry_after).encode()),
            *headers,
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body})


class RateLimitMiddleware:
    """429 with Retry-After beyond a client's bucket; `X-RateLimit-*` headers on every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check one HTTP request against its client's bucket."""
        limiter: RateLimiter | None = None
        if scope["type"] == "http" and not is_operations(scope["path"]):
            limiter = getattr(scope["app"].state, "rate_limiter", None)
        if limiter is None:
            await self.app(scope, receive, send)
            return
        decision = await limiter.check(scope)
        if decision is None:
            RATE_LIMIT_REQUESTS.labels("unchecked").inc()
            await self.app(scope, receive, send)
            return
        headers = limiter.headers(decision)
        if not decision.allowed:
            RATE_LIMIT_REQUESTS.labels("limited").inc()
            await _too_many(send, decision, headers)
            return
        RATE_LIMIT_REQUESTS.labels("allowed").inc()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)
