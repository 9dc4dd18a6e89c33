"""What the MongoDB-protocol server behind the URL can do well (MongoDB or FerretDB)."""

from __future__ import annotations

from pymongo import AsyncMongoClient

from catalog.products.storage import Document


async def is_ferretdb(client: AsyncMongoClient[Document]) -> bool:
    """True when the server is FerretDB, which scans for any filter but `{_id: x}`."""
    info = await client.admin.command("buildInfo")
    return "ferretdbVersion" in info
