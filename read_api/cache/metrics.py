"""Prometheus metrics of the read cache and the rate limiter."""

from __future__ import annotations

from prometheus_client import Counter

CACHE_REQUESTS = Counter(
    "catalog_read_cache_requests_total",
    "Cacheable read API requests by outcome: hit, miss, stale (served while refreshing), "
    "bypass (Redis failing or cache off)",
    ["outcome"],
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
