"""The Algolia protocol over HTTP, on the read API's test catalog (its fixtures are reused).

Every search here stays inside the `read-api-e2e` data set through one more
facet filter, as the native tests do with `attributes.dataset:read-api-e2e`.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.read_api.conftest import IN_DATASET, catalog, es, read_api

__all__ = ["IN_DATASET", "algolia", "catalog", "es", "in_dataset", "read_api", "without_timing"]


def in_dataset(fields: dict[str, Any]) -> dict[str, Any]:
    """Search parameters restricted to the test data set (an extra facet filter)."""
    filters = fields.get("facetFilters", [])
    if isinstance(filters, str):
        filters = [filters]
    return {**fields, "facetFilters": [IN_DATASET, *filters]}


def algolia(client: httpx.Client, index: str = "products", **fields: Any) -> dict[str, Any]:
    """`POST /1/indexes/{index}/query` inside the test data set; asserts a 200."""
    response = client.post(f"/1/indexes/{index}/query", json=in_dataset(fields))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def without_timing(answer: dict[str, Any]) -> dict[str, Any]:
    """An answer without what differs between two equal searches (time taken, queryID)."""
    return {k: v for k, v in answer.items() if k not in ("processingTimeMS", "queryID")}
