"""Fixtures for tests that talk to the running APIs of the test stack over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from catalog.settings import Settings

API_NAMES = ("read_api", "write_api")


def api_url(settings: Settings, api: str) -> str:
    """Base URL of one of the stack's APIs."""
    port = settings.read_api_port if api == "read_api" else settings.write_api_port
    return f"http://127.0.0.1:{port}"


@pytest.fixture(params=API_NAMES)
def api(request: pytest.FixtureRequest, settings: Settings) -> Iterator[tuple[str, httpx.Client]]:
    """Each API in turn, as (name, HTTP client)."""
    with httpx.Client(base_url=api_url(settings, request.param), timeout=30) as client:
        yield request.param, client
