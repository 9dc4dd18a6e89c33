"""Which exceptions mean "a dependency is unreachable right now", and which one.

Shared by the APIs (answer 503 with Retry-After) and the workers (retry the
task later): an outage is never the caller's fault and never final.
"""

from __future__ import annotations

import elasticsearch.exceptions as es_errors
import pymongo.errors as mongo_errors
import redis.exceptions as redis_errors


class ObjectStoreUnavailable(Exception):
    """The S3 object store of images could not be reached or failed (catalog.images)."""


# which dependency an exception type points at
DEPENDENCY_ERRORS: tuple[tuple[type[Exception], str], ...] = (
    (mongo_errors.ConnectionFailure, "mongodb"),
    (mongo_errors.ExecutionTimeout, "mongodb"),
    (es_errors.ConnectionError, "elasticsearch"),
    (redis_errors.ConnectionError, "redis"),
    (redis_errors.TimeoutError, "redis"),
    (ObjectStoreUnavailable, "object_store"),
)
OUTAGE_ERRORS: tuple[type[Exception], ...] = tuple(error for error, _ in DEPENDENCY_ERRORS)


def dependency_of(exc: BaseException) -> str | None:
    """Name the dependency whose failure raised `exc`, or None if it is not one."""
    for error_type, name in DEPENDENCY_ERRORS:
        if isinstance(exc, error_type):
            return name
    return None
