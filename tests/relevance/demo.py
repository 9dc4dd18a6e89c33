"""The demo catalog's judged set: the e2e data set, every active product graded by rule.

The products are those of tests/e2e/read_api/conftest.py (2,000 demo
products of seed 7, ids prefixed RA-, `attributes.dataset` "read-api-e2e"),
so the harness and the e2e relevance test measure the same catalog. Grades
come from tests/relevance/judgements.py over each product as the index holds
it, as tests/relevance/run.py grades them; the ideal of a query is over all
active products of the data set.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

from catalog.demo.generator import bulk_lines
from catalog.settings import Settings
from tests.bulk_load import Loaded, load_products
from tests.e2e.read_api.conftest import DATASET, store_demo_pictures
from tests.e2e.read_api.conftest import demo_products as e2e_products
from tests.relevance.judged_set import Document, JudgedSet
from tests.relevance.judgements import JUDGEMENTS
from tests.relevance.run import dataset_products

NAME = "demo"


def demo_lines(settings: Settings) -> Iterator[bytes]:
    """The e2e data set's bulk lines."""
    return bulk_lines(e2e_products(settings))


def _active(products: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in products if p["status"] == "active"]


def demo_set(es: httpx.Client, settings: Settings) -> JudgedSet:
    """The rule-graded queries over the loaded e2e data set, with its products for the baseline."""
    indexed = dataset_products(es, settings)
    active = _active(e2e_products(settings))
    if {str(p["id"]) for p in indexed} != {p["id"] for p in active}:
        # the ideal must see the whole data set, and only it
        raise RuntimeError(f"{len(indexed)} products indexed, {len(active)} active: load it first")
    ratings = {j.query: {str(p["id"]): j.grade(p) for p in indexed} for j in JUDGEMENTS}
    return JudgedSet(NAME, DATASET, ratings, [Document.from_product(p) for p in active])


def load_demo(settings: Settings, key: str) -> Loaded:
    """Import the e2e data set (pictures first) through the write API; return once searchable."""
    store_demo_pictures(settings)
    return load_products(settings, key, demo_lines(settings))
