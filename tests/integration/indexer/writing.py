"""Writing products into a test's own catalog the way the write API does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from catalog.clock import now_ms
from catalog.products.mutations import plan_delete, plan_upsert
from catalog.products.store import ProductStore


def public(title: str = "Ladekabel USB-C", **extra: Any) -> dict[str, Any]:
    """A valid product's public fields."""
    return {
        "title": title,
        "price": 9.99,
        "stock": 3,
        "status": "active",
        "categories": [["Handyzubehör", "Kabel"]],
        "attributes": {},
        "images": [],
        **extra,
    }


async def upsert(
    store: ProductStore, product_id: str, *, at: datetime | None = None, **extra: Any
) -> None:
    """Create or replace a product (retrying a lost race), dated `at` (default now)."""
    for _ in range(5):
        current = await store.get(product_id)
        plan = plan_upsert(
            product_id, current, public(**extra), op="t", actor="t", now=at or now_ms()
        )
        if await store.apply(plan):
            return
    raise AssertionError(f"could not write {product_id}")


async def delete(store: ProductStore, product_id: str, *, at: datetime | None = None) -> None:
    """Delete a product (a versioned tombstone), dated `at` (default now)."""
    current = await store.get(product_id)
    assert current is not None
    assert await store.apply(plan_delete(product_id, current, actor="t", now=at or now_ms()))
