"""Elasticsearch down during writes: every acknowledged change reaches the index by itself."""

from __future__ import annotations

import uuid

import httpx

from catalog.settings import Settings
from tests.audit import assert_clean_audit
from tests.e2e.write_api.conftest import product
from tests.read_model import indexed_count
from tests.stack import stopped, wait_for

DEADLINE_S = 300  # liveness bounds for the test, not speed claims (see bench/)


def test_writes_while_elasticsearch_is_down_are_indexed_after_it_returns(
    write_api: httpx.Client, settings: Settings
) -> None:
    run = uuid.uuid4().hex[:6].upper()
    ids = [f"ESDOWN-{run}-{n}" for n in range(20)]
    with stopped("elasticsearch"):
        for product_id in ids:
            response = write_api.put(f"/v1/products/{product_id}", json=product(product_id))
            assert response.status_code == 201, response.text
        changed = write_api.patch(f"/v1/products/{ids[0]}", json={"stock": 0})
        assert changed.status_code == 200
        assert write_api.delete(f"/v1/products/{ids[1]}").status_code in (200, 204)
    prefix = f"ESDOWN-{run}-"
    wait_for(lambda: indexed_count(settings, prefix) == len(ids) - 1, DEADLINE_S, "writes indexed")
    report = assert_clean_audit(settings)
    assert report.mongodb_products == report.elasticsearch_documents
