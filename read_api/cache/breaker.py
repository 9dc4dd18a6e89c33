"""A circuit breaker for Redis: after a failure, skip it for a while instead of timing out.

The cache and the rate limiter are optional on every request: with Redis
stopped or hanging, each request would otherwise pay a connect error or a
timeout. After a failure the breaker stays open for `open_s`; then one
request tries Redis again (the others keep skipping it) and closes the
breaker if Redis answered.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from prometheus_client import Counter

log = logging.getLogger(__name__)

BREAKER_OPENED = Counter(
    "catalog_read_redis_breaker_opened_total",
    "Times the read API stopped using Redis for the cache and rate limits after a failure",
)


class RedisBreaker:
    """Closed: use Redis. Open: skip it until `open_s` passed, then let one request try."""

    def __init__(self, open_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.open_s = open_s
        self._clock = clock
        self._open_until = 0.0
        self._is_open = False

    @property
    def is_open(self) -> bool:
        """Whether Redis failed lately and has not answered since."""
        return self._is_open

    def allow(self) -> bool:
        """Whether this request may use Redis now."""
        if not self._is_open:
            return True
        now = self._clock()
        if now < self._open_until:
            return False
        self._open_until = now + self.open_s  # this request is the trial; the others wait
        return True

    def succeeded(self) -> None:
        """Redis answered: close the breaker."""
        if self._is_open:
            log.info("redis answers again: cache and rate limits resume")
        self._is_open = False

    def failed(self, error: BaseException) -> None:
        """Redis failed or was too slow: open the breaker (and say so once)."""
        if not self._is_open:
            BREAKER_OPENED.inc()
            log.warning(
                "redis failing: cache bypassed and rate limits not enforced for %.1fs",
                self.open_s,
                extra={"error": repr(error)},
            )
        self._is_open = True
        self._open_until = self._clock() + self.open_s
