"""Elasticsearch unreachable: a real read API process answers 503 with Retry-After."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.processes import free_port, private_read_api


@pytest.fixture
def read_api_without_elasticsearch() -> Iterator[httpx.Client]:
    """A read API of its own whose Elasticsearch URL points at a port nothing listens on."""
    overrides = {"CATALOG_ES_URL": f"http://127.0.0.1:{free_port()}", "CATALOG_RETRY_AFTER_S": "7"}
    with private_read_api(overrides) as client:
        yield client


@pytest.mark.parametrize(
    "path",
    [
        "/v1/search?q=hülle",
        "/v1/listing?category=Audio",
        "/v1/products/ACME-1",
        "/v1/autocomplete?q=hü",
        "/v1/facets/brand/values?q=sp",
    ],
)
def test_every_route_answers_503_with_retry_after(
    read_api_without_elasticsearch: httpx.Client, path: str
) -> None:
    response = read_api_without_elasticsearch.get(path)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    assert response.json()["dependency"] == "elasticsearch"
