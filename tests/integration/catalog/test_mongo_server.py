"""Helpers for what the MongoDB-protocol server does well, on the real server."""

from __future__ import annotations

import uuid

from catalog.clients import Clients
from catalog.mongo_server import paced_batches


async def test_paced_batches_yield_every_document_once_in_lists_of_the_size(
    clients: Clients,
) -> None:
    collection = clients.db[f"it_paced_{uuid.uuid4().hex[:8]}"]
    try:
        await collection.insert_many([{"_id": f"P-{n:03d}", "n": n} for n in range(25)])
        batches = [
            batch async for batch in paced_batches(collection.find({}, batch_size=10), 10, 0.5)
        ]
        assert [len(b) for b in batches] == [10, 10, 5]
        assert sorted(doc["_id"] for b in batches for doc in b) == [f"P-{n:03d}" for n in range(25)]
    finally:
        await collection.drop()
