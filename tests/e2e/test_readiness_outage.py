"""/readyz names Elasticsearch while it is really stopped, and recovers when it is back."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from catalog.settings import Settings
from tests.e2e.conftest import API_NAMES, api_url
from tests.stack import stack, stopped, wait_for


@pytest.fixture
def elasticsearch_outage() -> Iterator[None]:
    """Stop the test stack's Elasticsearch; it is started again whatever the test does."""
    with stopped("elasticsearch"):
        yield


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=10).status_code == 200
    except httpx.HTTPError:
        return False


def test_readyz_names_elasticsearch_while_down_and_recovers(
    settings: Settings, elasticsearch_outage: None
) -> None:
    for name in API_NAMES:
        url = api_url(settings, name)
        response = httpx.get(f"{url}/readyz", timeout=30)
        assert response.status_code == 503, (name, response.text)
        assert response.headers["retry-after"] == str(settings.retry_after_s)
        body = response.json()
        assert body["status"] == "unavailable"
        assert body["failing"] == ["elasticsearch"]
        assert body["checks"]["mongodb"]["ok"]
        assert body["checks"]["redis"]["ok"]
        # liveness does not depend on Elasticsearch
        assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200

    stack("start", "elasticsearch")
    for name in API_NAMES:
        url = api_url(settings, name)
        wait_for(lambda url=url: _ready(url), 60, f"{name} /readyz answering 200 again")
