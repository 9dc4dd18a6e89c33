"""Wiring of the read API's guards: key checks, the read cache and the rate limiter.

Both share one circuit breaker, so a Redis outage costs one failed call per
`cache_breaker_open_s`, not one per request for each of them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware import Middleware

from catalog.apikeys import sealer_of
from catalog.clients import Clients
from catalog.key_checks import KeyChecker
from read_api.access import AccessMiddleware, AccessResolver
from read_api.cache.breaker import RedisBreaker
from read_api.cache.hit_path import HitPath, HitPathMiddleware
from read_api.cache.http import HttpPolicy
from read_api.cache.read_through import CachePolicy, ReadCache
from read_api.cache.store import CacheStore
from read_api.rate_limit import RateLimiter, RateLimitMiddleware


@asynccontextmanager
async def redis_guards(app: FastAPI, clients: Clients) -> AsyncIterator[None]:
    """Lifespan hook: build the cache and the limiter on the process's Redis client."""
    settings = clients.settings
    checker = KeyChecker(clients.db, settings.auth_cache_s, sealer_of(settings))
    app.state.access_resolver = resolver = AccessResolver(checker, settings)
    breaker = RedisBreaker(settings.cache_breaker_open_s)
    cache = ReadCache(CacheStore(clients.redis), breaker, CachePolicy.from_settings(settings))
    app.state.read_cache = cache
    cache.start()
    app.state.http_cache_policy = HttpPolicy.from_settings(settings)
    if settings.cache_local_max_mb > 0:
        app.state.hit_path = HitPath(cache, app.state.http_cache_policy)
    app.state.rate_limiter = (
        RateLimiter(clients.redis, breaker, settings, resolver=resolver)
        if settings.rate_limit_per_s > 0
        else None
    )
    try:
        yield
    finally:
        await cache.close()


def install_rate_limits(app: FastAPI) -> None:
    """Add the rate limiter inside the request-context middleware: a 429 is logged and counted.

    The caller's key is checked inside the rate limiter (a client sending keys
    to try them spends its address's tokens) and before the hit path, which
    answers from memory only what the caller may see.
    """
    # add_middleware would put them outermost, before the request id and the access log
    app.user_middleware.append(Middleware(RateLimitMiddleware))
    app.user_middleware.append(Middleware(AccessMiddleware))
    app.user_middleware.append(Middleware(HitPathMiddleware))
