"""A deterministic demo catalog of our own, loaded once, and a client of the running read API.

Other tests (and benchmarks) write products into the same stack, so every
query here that counts stays inside this data set (the `dataset` attribute)
or compares the API with Elasticsearch itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest

from catalog.clients import Clients
from catalog.demo.generator import bulk_lines, generate_products
from catalog.demo.picture_book import PictureBook
from catalog.demo.picture_store import store_pictures
from catalog.settings import Settings
from indexer.index_definition import alias_name
from indexer.sync import sync_products
from tests.e2e.conftest import Keys, api_url

DATASET = "read-api-e2e"
IN_DATASET = f"attributes.dataset:{DATASET}"
COUNT = 2000
SEED = 7
_BOOKS: dict[str, PictureBook] = {}


@dataclass(frozen=True)
class Catalog:
    """The products this module loaded, as sent to the write API."""

    products: list[dict[str, Any]]

    @property
    def active(self) -> list[dict[str, Any]]:
        """The products shoppers may see."""
        return [p for p in self.products if p["status"] == "active"]

    def with_status(self, status: str) -> dict[str, Any]:
        """The first product with this status."""
        return next(p for p in self.products if p["status"] == status)


def _picture_book(settings: Settings) -> PictureBook:
    # one book per image host: drawing the pictures again for every caller costs seconds
    base_url = str(settings.image_base_url)
    return _BOOKS.setdefault(base_url, PictureBook(base_url))


def demo_products(settings: Settings) -> list[dict[str, Any]]:
    """The e2e data set: 2,000 demo products of seed 7, ids prefixed, tagged with the set.

    Each shows its drawn picture; `store_demo_pictures` puts them into the object store.
    """
    products = []
    for product in generate_products(COUNT, SEED, _picture_book(settings)):
        product["id"] = f"RA-{product['id']}"  # never the dev stack's own demo ids
        if "group_id" in product:
            product["group_id"] = f"RA-{product['group_id']}"
        product["attributes"]["dataset"] = DATASET
        products.append(product)
    return products


def store_demo_pictures(settings: Settings) -> None:
    """Put the data set's pictures and thumbnails into the object store (what is missing)."""
    book = _picture_book(settings)
    if not book.originals:
        demo_products(settings)
    asyncio.run(store_pictures(settings, book.originals))


def load_indexed(settings: Settings, keys: Keys, products: list[dict[str, Any]]) -> None:
    """Write products in one bulk request (no line may fail), then index and refresh them."""
    with httpx.Client(
        base_url=api_url(settings, "write_api"),
        headers={"Authorization": f"Bearer {keys.editor}"},
        timeout=300,
    ) as client:
        response = client.post(
            "/v1/products:bulk",
            content=b"".join(bulk_lines(products)),
            headers={"Content-Type": "application/x-ndjson"},
        )
    assert response.status_code == 200, response.text
    summary = orjson.loads(response.content.splitlines()[-1])["summary"]
    assert not summary.get("errors"), summary
    assert "aborted" not in summary, summary

    async def index_now() -> None:
        # the workers index these too; syncing here (idempotent, versioned) and
        # refreshing makes the tests independent of how busy the workers are
        clients = Clients.from_settings(settings)
        try:
            ids = [p["id"] for p in products]
            for start in range(0, len(ids), 500):
                result = await sync_products(clients, ids[start : start + 500])
                assert not result.failed, result.failed
            await clients.es.indices.refresh(index=alias_name(settings.es_index_prefix))
        finally:
            await clients.close()

    asyncio.run(index_now())


@pytest.fixture(scope="session")
def catalog(settings: Settings, keys: Keys) -> Catalog:
    """2,000 deterministic demo products (about 94% active), written and indexed."""
    products = demo_products(settings)
    store_demo_pictures(settings)  # before any product names them
    load_indexed(settings, keys, products)
    return Catalog(products)


@pytest.fixture(scope="session")
def read_api(settings: Settings, catalog: Catalog) -> Iterator[httpx.Client]:
    """The running read API, once the test catalog is searchable."""
    with httpx.Client(base_url=api_url(settings, "read_api"), timeout=60) as client:
        yield client


@pytest.fixture(scope="session")
def analyst(settings: Settings, catalog: Catalog, keys: Keys) -> Iterator[httpx.Client]:
    """The running read API as an analyst (analytics need an analyst's or admin's key)."""
    headers = {"Authorization": f"Bearer {keys.analyst}"}
    with httpx.Client(base_url=api_url(settings, "read_api"), timeout=60, headers=headers) as c:
        yield c


@pytest.fixture(scope="session")
def es(settings: Settings) -> Iterator[httpx.Client]:
    """Elasticsearch itself, to check the API's answers against."""
    with httpx.Client(base_url=settings.es_urls[0], timeout=60) as client:
        yield client


def es_count(es: httpx.Client, settings: Settings, query: dict[str, Any]) -> int:
    """How many documents of the products alias match `query`."""
    response = es.post(f"/{alias_name(settings.es_index_prefix)}/_count", json={"query": query})
    assert response.status_code == 200, response.text
    return int(response.json()["count"])


def in_dataset_query(*clauses: dict[str, Any]) -> dict[str, Any]:
    """An Elasticsearch query for active products of the test data set, plus `clauses`."""
    dataset = {
        "nested": {
            "path": "attrs_kw",
            "query": {
                "bool": {
                    "filter": [
                        {"term": {"attrs_kw.name": "dataset"}},
                        {"term": {"attrs_kw.value": DATASET}},
                    ]
                }
            },
        }
    }
    return {"bool": {"filter": [{"term": {"status": "active"}}, dataset, *clauses]}}


def search(client: httpx.Client, **params: Any) -> dict[str, Any]:
    """GET /v1/search inside the test data set; asserts a 200."""
    filters = params.pop("filter", [])
    if isinstance(filters, str):
        filters = [filters]
    response = client.get("/v1/search", params={**params, "filter": [IN_DATASET, *filters]})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
