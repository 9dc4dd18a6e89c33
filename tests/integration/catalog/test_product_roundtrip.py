"""Property: whatever the model accepts comes back unchanged from the real MongoDB server."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from pymongo import AsyncMongoClient

from catalog.clock import now_ms
from catalog.products.model import ProductCreate
from catalog.products.mutations import plan_upsert
from catalog.products.storage import public_from_storage
from catalog.settings import Settings
from tests.strategies.products import products

RUN_COLLECTION = f"roundtrip_{uuid.uuid4().hex[:8]}"


def _roundtrip(mongo_url: str, collection: str, product: dict[str, Any]) -> dict[str, Any]:
    async def run() -> dict[str, Any]:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
        try:
            validated = ProductCreate.model_validate(product)
            public = validated.model_dump(mode="json", exclude_none=True, exclude={"id"})
            plan = plan_upsert(validated.id, None, public, op="create", actor="t", now=now_ms())
            assert plan.write is not None
            target = client["catalog_properties"][collection]
            await target.replace_one({"_id": validated.id}, plan.write, upsert=True)
            stored = await target.find_one({"_id": validated.id})
            assert stored is not None
            return {"public": public, "read": public_from_storage(stored), "id": stored["_id"]}
        finally:
            await client.close()

    return asyncio.run(run())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(product=products())
def test_accepted_products_roundtrip_unchanged_through_mongodb(
    settings_: Settings, product: dict[str, Any]
) -> None:
    result = _roundtrip(str(settings_.mongo_url), RUN_COLLECTION, product)
    assert result["read"] == result["public"]
    again = ProductCreate.model_validate({"id": result["id"], **result["read"]})
    assert again == ProductCreate.model_validate(product)
