"""One event loop and one set of clients per worker process, reused by every task.

Celery runs tasks synchronously; the project's clients are asyncio clients
bound to the loop they were created on. Each prefork child therefore keeps
its own loop and clients for its lifetime instead of reconnecting per task.
The object store's client too: creating an S3 client loads botocore's service
model, half of a thumbnail task's time when it was made per task.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from catalog.clients import Clients
from catalog.images.object_store import ObjectStore
from catalog.mongo_server import is_ferretdb
from catalog.outages import OUTAGE_ERRORS
from catalog.settings import Settings, get_settings

RETRY_BACKOFF_MAX_S = 60
# how a task that writes the catalog survives outages and crashes: acknowledged only
# once it ran (redelivered if its worker dies), retried with backoff while MongoDB,
# Elasticsearch, Redis or the object store is away; its outcome is in the worker's
# log line, not stored (storing it would make every task depend on Redis as a result
# backend too: a worker storing a result while Redis restarts is what crashed it)
OUTAGE_RETRIED: dict[str, Any] = {
    "ignore_result": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": OUTAGE_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": RETRY_BACKOFF_MAX_S,
    "retry_jitter": True,
}

T = TypeVar("T")
_loop: asyncio.AbstractEventLoop | None = None
_clients: Clients | None = None
_point_reads: bool | None = None
_objects: ObjectStore | None = None


def run(work: Callable[[Clients, bool], Awaitable[T]]) -> T:
    """Run `work(clients, point_reads)` on this process's loop and clients."""
    global _loop, _clients, _objects
    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
        _clients = _objects = None
    return _loop.run_until_complete(_with_clients(work))


async def object_store(settings: Settings) -> ObjectStore:
    """This process's object store client (inside `run`), created on first use."""
    global _objects
    if _objects is None:
        _objects = await ObjectStore(settings).open()
    return _objects


async def _with_clients(work: Callable[[Clients, bool], Awaitable[T]]) -> T:
    global _clients, _point_reads
    if _clients is None:
        _clients = Clients.from_settings(get_settings())
    if _point_reads is None:
        _point_reads = await is_ferretdb(_clients.mongo)
    return await work(_clients, _point_reads)
