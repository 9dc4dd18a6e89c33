"""Per-client rate limits: a token bucket in Redis, checked by one atomic script per request.

A client is its API key (`X-API-Key`, stored only as a digest), its Algolia
search key with its address, or else its address; behind trusted proxies,
the address they appended to `X-Forwarded-For`. Each client's bucket holds
up to `burst` tokens and refills at `per_s` a second on Redis's clock, so
every replica shares it.
With Redis failing, requests pass unchecked (fail open) rather than fail:
the breaker shared with the cache skips Redis for a while and logs once.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
from dataclasses import dataclass
from urllib.parse import parse_qs

import orjson
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from catalog.settings import Settings
from read_api.cache.breaker import RedisBreaker
from read_api.cache.metrics import RATE_LIMIT_REQUESTS

KEY_PREFIX = "catalog:rl:"
ALGOLIA_KEY_HEADER = b"x-algolia-api-key"
# operations endpoints answer whatever the load: probes and scrapes must never be refused
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/openapi.json"})
EXEMPT_PREFIXES = ("/docs",)

_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1])
local ts = tonumber(b[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {allowed, math.floor(tokens), retry, math.ceil((burst - tokens) * 1000 / rate)}
"""


@dataclass(frozen=True, slots=True)
class Decision:
    """The bucket's answer: allowed or not, tokens left, and waits in milliseconds."""

    allowed: bool
    remaining: int
    retry_after_ms: int
    full_in_ms: int


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def algolia_key(scope: Scope) -> str | None:
    """The Algolia API key of a request: its header, or the URL as Algolia's JS client sends it."""
    key = _header(scope, ALGOLIA_KEY_HEADER)
    if key:
        return key
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    values = query.get(ALGOLIA_KEY_HEADER.decode())
    return values[0] if values else None


def client_identity(scope: Scope, key_header: str, trusted_proxies: int) -> str:
    """Whom a request counts against: its API key, else its (proxied) address.

    An Algolia search key is public (it ships in every shopper's browser), so
    it names a client only together with the address, as Algolia's own
    per-IP limits of a key do.
    """
    api_key = _header(scope, key_header.lower().encode("latin-1"))
    if api_key:
        return "key:" + _digest(api_key)
    address = _address(scope, trusted_proxies)
    search_key = algolia_key(scope)
    if search_key:
        return f"algolia:{_digest(search_key)}:{address}"
    return "ip:" + address


def _address(scope: Scope, trusted_proxies: int) -> str:
    if trusted_proxies > 0:
        forwarded = [a.strip() for a in (_header(scope, b"x-forwarded-for") or "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= trusted_proxies:
            return forwarded[-trusted_proxies]
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RateLimiter:
    """Takes one token from a client's bucket per request."""

    def __init__(self, redis: Redis, breaker: RedisBreaker, settings: Settings) -> None:
        self._take = redis.register_script(_TAKE)
        self.breaker = breaker
        self.per_s = settings.rate_limit_per_s
        self.burst = settings.rate_limit_burst
        self.key_header = settings.rate_limit_key_header
        self.trusted_proxies = settings.rate_limit_trusted_proxies
        self.timeout_s = settings.cache_redis_timeout_s

    async def check(self, scope: Scope) -> Decision | None:
        """The bucket's decision, or None when Redis cannot be asked (the request passes)."""
        if not self.breaker.allow():
            return None
        identity = client_identity(scope, self.key_header, self.trusted_proxies)
        try:
            async with asyncio.timeout(self.timeout_s):
                allowed, remaining, retry, full = await self._take(
                    keys=[KEY_PREFIX + identity], args=[self.per_s, self.burst]
                )
        except (RedisError, OSError, TimeoutError) as exc:
            self.breaker.failed(exc)
            return None
        self.breaker.succeeded()
        return Decision(bool(allowed), int(remaining), int(retry), int(full))

    def headers(self, decision: Decision) -> list[tuple[bytes, bytes]]:
        """The `X-RateLimit-*` headers of an answer."""
        return [
            (b"x-ratelimit-limit", str(self.burst).encode()),
            (b"x-ratelimit-remaining", str(decision.remaining).encode()),
            (b"x-ratelimit-reset", str(math.ceil(decision.full_in_ms / 1000)).encode()),
        ]


def _exempt(path: str) -> bool:
    return path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES)


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
        if scope["type"] == "http" and not _exempt(scope["path"]):
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
