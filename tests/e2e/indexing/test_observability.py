"""What operators see of the sync: worker metrics, cache generation, audit and retry."""

from __future__ import annotations

import asyncio
import re
import uuid

import httpx
import orjson
from prometheus_client.parser import text_string_to_metric_families

from catalog import cache_generation
from catalog.clients import redis_client
from catalog.settings import Settings
from tests.audit import assert_clean_audit
from tests.e2e.cli.test_catalog_cli import catalog
from tests.e2e.write_api.conftest import product
from tests.read_model import indexed_count
from tests.stack import wait_for

DEADLINE_S = 60  # a liveness bound, not a speed claim


def _samples(settings: Settings) -> dict[str, float]:
    text = httpx.get(f"http://127.0.0.1:{settings.worker_metrics_port}/metrics", timeout=10).text
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return found


def _generation(settings: Settings) -> int:
    async def read() -> int:
        client = redis_client(settings)
        try:
            return await cache_generation.current_generation(client)
        finally:
            await client.aclose()

    return asyncio.run(read())


def test_a_write_shows_in_worker_metrics_and_advances_the_cache_generation(
    write_api: httpx.Client, settings: Settings
) -> None:
    before = _samples(settings)
    generation = _generation(settings)
    product_id = f"E2E-OBS-{uuid.uuid4().hex[:10]}"
    assert write_api.put(f"/v1/products/{product_id}", json=product(product_id)).status_code == 201
    indexed = "catalog_sync_products_total{outcome=indexed}"
    wait_for(
        lambda: _samples(settings).get(indexed, 0) > before.get(indexed, 0),
        DEADLINE_S,
        "the indexed counter rising",
    )
    after = _samples(settings)
    assert after["catalog_sync_lag_seconds_count"] > before.get("catalog_sync_lag_seconds_count", 0)
    assert "catalog_sync_pending" in after
    assert "catalog_sync_dead_letters" in after
    wait_for(lambda: _generation(settings) > generation, DEADLINE_S, "the generation advancing")


def _counter(client: httpx.Client, name: str) -> float:
    text = client.get("/metrics").text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    )


def test_a_bulk_import_carries_the_states_it_wrote_and_counts_its_mongodb_commands(
    write_api: httpx.Client, settings: Settings
) -> None:
    carried = "catalog_index_states_carried_total"
    commands = "catalog_mongo_commands_total"
    before_carried, before_commands = _counter(write_api, carried), _counter(write_api, commands)
    prefix = f"E2E-CARRY-{uuid.uuid4().hex[:8]}"
    ids = [f"{prefix}-{n}" for n in range(20)]
    body = b"".join(orjson.dumps({"op": "upsert", "product": product(i)}) + b"\n" for i in ids)
    answer = write_api.post(
        "/v1/products:bulk", content=body, headers={"Content-Type": "application/x-ndjson"}
    )
    assert answer.status_code == 200
    assert orjson.loads(answer.content.splitlines()[-1])["summary"]["created"] == 20
    # sent from the publisher's thread a few milliseconds after the answer
    wait_for(
        lambda: _counter(write_api, carried) >= before_carried + 20,
        DEADLINE_S,
        "the index tasks carrying all 20 states",
    )
    assert _counter(write_api, commands) > before_commands
    wait_for(
        lambda: indexed_count(settings, prefix) == 20, DEADLINE_S, "all 20 products searchable"
    )


def test_audit_status_and_retry_commands(settings: Settings) -> None:
    assert_clean_audit(settings)
    audited = catalog("audit")
    assert audited.returncode == 0, audited.stdout + audited.stderr
    assert "clean" in audited.stdout
    assert re.search(r"missing\s*│\s*0", audited.stdout), audited.stdout
    status = catalog("sync", "status")
    assert status.returncode == 0, status.stderr
    assert re.search(r"last audit\s*│\s*clean", status.stdout), status.stdout
    retried = catalog("sync", "retry")
    assert retried.returncode == 0, retried.stderr
    assert "no dead letters" in retried.stdout
