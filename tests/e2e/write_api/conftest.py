"""Fixtures for the write API over HTTP: keys of each role, a client, unique ids."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture
def product_id() -> str:
    """An id no other test uses."""
    return f"E2E-{uuid.uuid4().hex[:12]}"


def product(product_id: str, **fields: object) -> dict[str, object]:
    """A valid product body."""
    return {
        "id": product_id,
        "title": "Silikon Hülle für iPhone 15, schwarz",
        "brand": "Acme",
        "categories": [["Handyzubehör", "Hüllen", "iPhone Hüllen"]],
        "price": 19.99,
        "stock": 12,
        "attributes": {"color": "schwarz", "compatible_devices": ["iPhone 15"]},
        **fields,
    }
