"""Prometheus metrics of the read cache and the rate limiter."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

CACHE_REQUESTS = Counter(
    "catalog_read_cache_requests_total",
    "Cacheable read API requests by outcome: hit, miss, stale (an outdated answer served while "
    "it is refreshed), bypass (Redis failing or cache off); and by tier: local (in-process "
    "memory), redis, none",
    ["outcome", "tier"],
)
CACHE_STALENESS = Histogram(
    "catalog_read_cache_stale_age_seconds",
    "Age of the outdated answers served as stale: how old their data may be",
    buckets=(0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30),
)
CACHE_REFRESHES = Counter(
    "catalog_read_cache_refreshes_total",
    "Background refreshes of outdated answers: computed here, found (another process had "
    "refreshed it), elsewhere (another process holds the refresh), over_budget (not started)",
    ["outcome"],
)
CACHE_OVERLOADED = Counter(
    "catalog_read_cache_overloaded_total",
    "Misses answered 503 because the miss budget had no free slot within its wait",
)
CACHE_COALESCED = Counter(
    "catalog_read_cache_coalesced_total",
    "Misses answered by another request's computation instead of their own search: "
    "in this process (flight) or in another one (lock)",
    ["via"],
)
RATE_LIMIT_REQUESTS = Counter(
    "catalog_rate_limit_requests_total",
    "Requests seen by the rate limiter: allowed, limited (429), unchecked (Redis failing)",
    ["outcome"],
)
