"""Making new results visible: refresh the index, then advance the read cache's generation.

After a batch changed the index, searches must see it soon and cached answers
must not hide it. One caller per interval (see catalog.cache_generation)
refreshes the index and advances the generation at once; the others learn
when the interval ends, and one of them schedules the trailing advance.
Refreshing before advancing matters: an answer cached under the new
generation is then computed on an index that already holds the batch.
"""

from __future__ import annotations

import contextlib
import logging

from elasticsearch.exceptions import TransportError
from redis.exceptions import RedisError

from catalog import cache_generation
from catalog.clients import Clients
from indexer.index_definition import alias_name

log = logging.getLogger(__name__)


async def publish_changes(clients: Clients) -> int | None:
    """Refresh and advance now if allowed; else the delay (ms) of a trailing advance to schedule.

    Returns None when nothing needs scheduling (advanced now, or another
    caller already scheduled the trailing advance). Never raises for an
    outage: with Redis away there is no cache to retire, and a refresh
    Elasticsearch misses happens on its own within a second.
    """
    try:
        interval_ms = int(clients.settings.cache_publish_interval_s * 1000)
        claim = await cache_generation.claim_advance(clients.redis, interval_ms)
        if claim.granted:
            alias = alias_name(clients.settings.es_index_prefix)
            await clients.es.indices.refresh(index=alias)
            await cache_generation.advance(clients.redis)
            return None
        if await cache_generation.reserve_trailing(clients.redis, claim.wait_ms):
            return claim.wait_ms
        return None
    except (RedisError, TransportError) as exc:
        log.warning("cache generation not advanced", extra={"error": repr(exc)})
        return None


async def trailing_advance(clients: Clients) -> int | None:
    """The scheduled trailing advance: let later batches schedule anew, then publish."""
    try:
        await cache_generation.release_trailing(clients.redis)
    except RedisError as exc:
        log.warning("trailing advance not released", extra={"error": repr(exc)})
    return await publish_changes(clients)


async def publish_now(clients: Clients, index: str, *, everything: bool = False) -> None:
    """Make writes to `index` searchable and retire cached answers at once.

    For batch work that must be visible when it reports (a rebuild's swap,
    an audit's repairs), not rate-limited like the workers' batches.
    `everything` (a swap to a new index) advances the epoch too, so no answer
    of the old index is served even as stale. Without Redis there is no cache
    to retire.
    """
    await clients.es.indices.refresh(index=index)
    with contextlib.suppress(RedisError):
        if everything:
            await cache_generation.advance_epoch(clients.redis)
        else:
            await cache_generation.advance(clients.redis)
