"""Fixtures for the write API over HTTP: keys of each role, a client, unique ids."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from catalog.settings import Settings
from tests.e2e.conftest import Keys, api_url


@pytest.fixture
def write_api(settings: Settings, keys: Keys) -> Iterator[httpx.Client]:
    """The write API, authenticated as an editor."""
    with httpx.Client(
        base_url=api_url(settings, "write_api"),
        headers={"Authorization": f"Bearer {keys.editor}"},
        timeout=30,
    ) as client:
        yield client


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
