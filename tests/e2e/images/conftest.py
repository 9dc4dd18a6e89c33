"""Fixtures for the image tests: an editor's write API, the read API, product ids."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from catalog.settings import Settings
from tests.e2e.conftest import api_url
from tests.e2e.write_api.conftest import product


@pytest.fixture
def read_api(settings: Settings) -> Iterator[httpx.Client]:
    """The read API (public)."""
    with httpx.Client(base_url=api_url(settings, "read_api"), timeout=30) as client:
        yield client


@pytest.fixture
def product_id(write_api: httpx.Client) -> str:
    """A new product no other test uses, created without images."""
    new_id = f"IMG-{uuid.uuid4().hex[:12]}"
    answer = write_api.put(f"/v1/products/{new_id}", json=product(new_id))
    assert answer.status_code == 201, answer.text
    return new_id
