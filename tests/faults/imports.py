"""What the import fault tests share: the index worker's liveness, and their clean-up."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys

import pymongo

from catalog.clients import Clients
from catalog.products.storage import PRODUCTS
from catalog.settings import Settings
from indexer.index_definition import alias_name

CLEANUP_TIMEOUT_S = 600  # a liveness bound for the test, not a speed claim (see bench/)


def worker_answers() -> bool:
    """The index worker (not the background one) answers a ping."""
    name = f"worker-{os.environ.get('DEVSTACK_PROFILE', 'dev')}@{socket.gethostname()}"
    ping = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "workers.celery_app", "inspect", "ping", "-d", name],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return "pong" in ping.stdout


def remove_products(settings: Settings, prefix: str) -> None:
    """Hard-delete a run's products from both sides (test clean-up, not a product feature).

    Thousands of products are left behind otherwise, and later tests would
    scan them (FerretDB serves every filter but an exact id by a full scan).
    """

    async def run() -> None:
        clients = Clients.from_settings(settings)
        try:
            with pymongo.timeout(CLEANUP_TIMEOUT_S):  # thousands of deletes: slow on FerretDB
                await clients.db[PRODUCTS].delete_many({"_id": {"$regex": f"^{prefix}"}})
            alias = alias_name(settings.es_index_prefix)
            await clients.es.delete_by_query(
                index=alias, body={"query": {"prefix": {"id": prefix}}}, refresh=True
            )
        finally:
            await clients.close()

    asyncio.run(run())
