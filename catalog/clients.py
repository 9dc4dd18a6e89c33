"""Client factories: the only place that knows how to reach MongoDB, Elasticsearch and Redis.

Nothing here connects on import; each factory builds a lazily connecting client
from the settings, and `Clients` bundles them for a composition root to own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis
from elasticsearch import AsyncElasticsearch
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from catalog.mongo_commands import LISTENER
from catalog.settings import Settings

MongoDocument = dict[str, Any]


def mongo_client(settings: Settings) -> AsyncMongoClient[MongoDocument]:
    """An async MongoDB client whose failures surface within the dependency timeout."""
    timeout_ms = int(settings.dependency_timeout_s * 1000)
    return AsyncMongoClient(
        str(settings.mongo_url),
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        socketTimeoutMS=max(timeout_ms * 5, 10_000),
        maxPoolSize=settings.mongo_max_pool_size,
        appname="catalog-search",
        tz_aware=True,
        event_listeners=[LISTENER],
    )


def elasticsearch_client(settings: Settings) -> AsyncElasticsearch:
    """An async Elasticsearch client that fails over between nodes, with bounded timeouts."""
    urls = settings.es_urls
    return AsyncElasticsearch(
        urls,
        timeout=max(settings.dependency_timeout_s * 5, 10.0),
        # a refused or dropped connection, or a 502/503/504, marks the node dead for
        # a while and goes to the next one: each node is tried at most once (a single
        # node gets one retry, for a pooled connection gone stale), so no retry storms
        max_retries=max(1, len(urls) - 1),
        retry_on_status=(502, 503, 504),
        # a node that stops mid-request may leave it hanging: another node can answer,
        # while with one node a retry would only double the wait
        retry_on_timeout=len(urls) > 1,
    )


async def close_elasticsearch(es: AsyncElasticsearch) -> None:
    """Close the client with every node's connection, the ones marked dead too.

    The 7.x transport closes only the connections it currently deems alive, so
    a node that failed during the process's life would keep its HTTP session.
    """
    await es.close()
    pool = es.transport.connection_pool
    # the pool is typed for the synchronous client; its connections here are async
    connections: tuple[Any, ...] = tuple(getattr(pool, "orig_connections", pool.connections))
    for connection in connections:
        await connection.close()  # closing a closed session again is harmless


def redis_client(settings: Settings) -> aioredis.Redis:
    """An async Redis client that fails fast instead of hanging a request."""
    return aioredis.Redis.from_url(
        str(settings.redis_url),
        socket_connect_timeout=settings.dependency_timeout_s,
        socket_timeout=settings.dependency_timeout_s,
        health_check_interval=30,
        # a pooled connection left over from before a Redis restart fails once;
        # one immediate retry on a fresh connection hides that from callers
        retry=Retry(NoBackoff(), 1),
        retry_on_error=[RedisConnectionError],
    )


def redis_text(value: bytes | str) -> str:
    """A value as Redis answered it (bytes, since the clients do not decode) as text."""
    return value.decode() if isinstance(value, bytes) else value


@dataclass(slots=True)
class Clients:
    """The connections one process owns; built once at start-up, closed at shutdown."""

    settings: Settings
    mongo: AsyncMongoClient[MongoDocument]
    es: AsyncElasticsearch
    redis: aioredis.Redis

    @classmethod
    def from_settings(cls, settings: Settings) -> Clients:
        """Build every client (lazily connecting) from the settings."""
        return cls(
            settings=settings,
            mongo=mongo_client(settings),
            es=elasticsearch_client(settings),
            redis=redis_client(settings),
        )

    @property
    def db(self) -> AsyncDatabase[MongoDocument]:
        """The database holding the write model."""
        return self.mongo[self.settings.mongo_db]

    async def close(self) -> None:
        """Close every connection; safe to call once at shutdown."""
        await self.mongo.close()
        await close_elasticsearch(self.es)
        await self.redis.aclose()
