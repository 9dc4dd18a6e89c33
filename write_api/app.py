"""The write API (command side): editors change the catalog through it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator

from fastapi import FastAPI

from catalog.apikeys import sealer_of
from catalog.clients import Clients
from catalog.images.object_store import ObjectStore
from catalog.key_checks import KeyChecker
from catalog.mongo_server import is_ferretdb
from catalog.products.recent import RecentStates
from catalog.products.storage import ensure_indexes
from catalog.queue import TaskPublisher
from catalog.settings import Settings, get_settings
from catalog.web.body_limit import BodyLimits
from catalog.web.factory import build_app
from write_api.errors import install_domain_handlers
from write_api.idempotency import IdempotencyStore
from write_api.image_uploads import MULTIPART_OVERHEAD_BYTES
from write_api.routes import (
    bulk,
    images,
    keys,
    products,
    rules,
    search_settings,
    sync,
    synonyms,
)
from write_api.routes.bulk import BULK_PATH

log = logging.getLogger(__name__)
PURGE_INTERVAL_S = 900.0


async def _maintain(app: FastAPI, clients: Clients) -> None:
    """Create indexes once MongoDB answers, then purge expired idempotency records."""
    settings = clients.settings
    while True:
        try:
            app.state.mongo_point_reads = await is_ferretdb(clients.mongo)
            await ensure_indexes(clients.db, settings.idempotency_ttl_s)
            break
        except Exception as exc:  # MongoDB not reachable yet: keep serving, try again
            log.warning("indexes not ensured yet", extra={"error": repr(exc)})
            await asyncio.sleep(5)
    await _ensure_bucket(app.state.object_store)
    store = IdempotencyStore(clients.db, settings.idempotency_ttl_s)
    while True:
        await asyncio.sleep(PURGE_INTERVAL_S * random.uniform(0.8, 1.2))  # noqa: S311
        with contextlib.suppress(Exception):
            await store.purge_expired()


async def _ensure_bucket(objects: ObjectStore) -> None:
    """Create the image bucket where it is missing (the local stacks; production has it)."""
    for _ in range(3):
        try:
            await objects.ensure_bucket()
            return
        except Exception as exc:  # the store is away: uploads answer 503 until it is back
            log.warning("image bucket not ensured", extra={"error": repr(exc)})
            await asyncio.sleep(5)


@contextlib.asynccontextmanager
async def _write_side(app: FastAPI, clients: Clients) -> AsyncIterator[None]:
    app.state.key_checker = KeyChecker(
        clients.db, clients.settings.auth_cache_s, sealer_of(clients.settings)
    )
    publisher = TaskPublisher(clients.settings, clients.redis)
    publisher.start()
    app.state.publisher = publisher
    app.state.mongo_point_reads = True  # right for both servers until the server is known
    app.state.recent_states = RecentStates(clients.settings.write_hints)
    async with ObjectStore(clients.settings) as objects:
        app.state.object_store = objects
        maintenance = asyncio.create_task(_maintain(app, clients), name="write-maintenance")
        try:
            yield
        finally:
            maintenance.cancel()
            await publisher.stop()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the write API; uvicorn calls this as a factory."""
    settings = settings or get_settings()
    app = build_app(
        api_name="write_api",
        title="catalog-search write API",
        description="Command side: create, change, delete and bulk-import products. "
        "MongoDB holds the versioned source of truth. Every request needs "
        "`Authorization: Bearer <key>` (role editor or admin).",
        settings=settings,
        routers=[
            products.router,
            images.router,
            bulk.router,
            rules.router,
            synonyms.router,
            search_settings.router,
            sync.router,
            keys.router,
        ],
        lifespan_hooks=[_write_side],
        body_limits=write_body_limits(settings),
    )
    install_domain_handlers(app)
    return app


def write_body_limits(settings: Settings) -> BodyLimits:
    """`max_body_bytes` on every route; the bulk import streams up to `bulk_max_bytes`, an
    image upload up to `image_max_bytes` (and a multipart body's parts around it)."""
    return BodyLimits(
        settings.max_body_bytes,
        routes={("POST", BULK_PATH): settings.bulk_max_bytes},
        patterns=[
            ("POST", images.UPLOAD_PATH, settings.image_max_bytes + MULTIPART_OVERHEAD_BYTES)
        ],
    )
