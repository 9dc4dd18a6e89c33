"""A small catalog of our own for rules, the write API as an editor, and rule helpers.

Rules are global to the stack, so every rule made here requires a context
of its own (`ruleContexts` / `rule_context`): no other test's searches can
fire it, whatever runs in parallel or is left over.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from catalog.settings import Settings
from tests.e2e.conftest import Keys, api_url
from tests.e2e.read_api.conftest import load_indexed

DATASET = "merch-e2e"
IN_DATASET = f"attributes.dataset:{DATASET}"
WORD = "zorbix"
IDS = [f"MERCH-{n:02d}" for n in range(1, 13)]
BOOSTED = "MERCH-12"  # out of stock and unrated: last without a boost


def _product(pid: str, n: int) -> dict[str, Any]:
    weak = pid == BOOSTED
    return {
        "id": pid,
        "title": f"{WORD.capitalize()} Hülle Modell {n}",
        "brand": "Acme" if n % 2 else "Hama",
        "categories": [["Handyzubehör", "Hüllen"]],
        "price": 10.0 + n,
        "stock": 0 if weak else 5,
        "rating": None if weak else 4.0 + n / 100,
        "attributes": {"dataset": DATASET, "tag": "boostme" if weak else "plain"},
    }


def _load(settings: Settings, keys: Keys) -> None:
    products = [_product(pid, n) for n, pid in enumerate(IDS, start=1)]
    load_indexed(settings, keys, [{k: v for k, v in p.items() if v is not None} for p in products])


@pytest.fixture(scope="session")
def merch_catalog(settings: Settings, keys: Keys) -> list[str]:
    """Twelve products found by `zorbix`, written and indexed; their ids."""
    _load(settings, keys)
    return IDS


@pytest.fixture
def reader(settings: Settings, merch_catalog: list[str]) -> Iterator[httpx.Client]:
    """The read API, once the catalog is searchable."""
    with httpx.Client(base_url=api_url(settings, "read_api"), timeout=30) as client:
        yield client


@pytest.fixture
def context() -> str:
    """A rule context no other test uses."""
    return f"ctx-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def rules(write_api: httpx.Client) -> Iterator[Callable[..., str]]:
    """Make rules (PUT, 2xx asserted); each is deleted after the test."""
    made: list[str] = []

    def make(body: dict[str, Any]) -> str:
        rule_id = body.get("objectID") or f"e2e-{uuid.uuid4().hex[:12]}"
        response = write_api.put(f"/v1/rules/{rule_id}", json={**body, "objectID": rule_id})
        assert response.status_code in (200, 201), response.text
        made.append(rule_id)
        return rule_id

    yield make
    for rule_id in made:
        write_api.delete(f"/v1/rules/{rule_id}")


def algolia(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    """An Algolia search of the data set (`zorbix`, brand facet); asserts a 200."""
    body = {"query": WORD, "facets": ["brand"], "hitsPerPage": 20, **fields}
    body["facetFilters"] = [IN_DATASET, *body.get("facetFilters", [])]
    response = client.post("/1/indexes/products/query", json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def object_ids(answer: dict[str, Any]) -> list[str]:
    """The objectIDs of an Algolia answer's hits, in order."""
    return [hit["objectID"] for hit in answer["hits"]]


def eventually(check: Callable[[], Any], within_s: float = 10.0) -> Any:
    """The first truthy result of `check`, polled until `within_s` (AssertionError after)."""
    deadline = time.monotonic() + within_s
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within_s} s: {check}")
        time.sleep(0.05)
