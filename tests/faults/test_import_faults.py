"""The fault matrix: one fault in the middle of a product import, single writes going on.

Each case imports products with `catalog import` (its retries are the
client's own), while a single writer PUTs products of its own through the
write API, and injects its fault once indexing is under way and the import
is still running: the index worker or the write API killed with SIGKILL, or
Redis, Elasticsearch or FerretDB stopped and started again. Then:

- the import completes (exit 0), and every imported product is at version 1:
  a retried request wrote nothing twice;
- every single write the API answered is in MongoDB at its version or later;
- the audit finds Elasticsearch equal to MongoDB, with nothing in flight,
  by itself (no repair, no manual step).

The cases live among the fault tests, which run after the end-to-end tests,
and remove their products at the end, so later tests scan a small catalog.
`CATALOG_FAULT_IMPORT_COUNT` sets the import's size: `make test` runs the
short form (three faults, 5,000 products), `make faults` all five with
20,000 products (docs/operations.md).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson
import pytest

from catalog.clients import Clients
from catalog.products.storage import PRODUCTS
from catalog.settings import Settings
from tests.audit import assert_clean_audit
from tests.conftest import FAULTS_IN_FULL
from tests.e2e.conftest import Keys, api_url
from tests.e2e.write_api.conftest import product
from tests.faults.imports import remove_products, worker_answers
from tests.processes import kill_service
from tests.read_model import indexed_count
from tests.stack import stack, wait_for

IMPORT_COUNT = int(os.environ.get("CATALOG_FAULT_IMPORT_COUNT", "5000"))
# lines per bulk request: the import is a run of requests, so a fault lands between or
# inside them, never after one request that held everything
IMPORT_BATCH_LINES = 100
UNDER_WAY = 300  # imported products in MongoDB before the fault comes
OUTAGE_S = 5.0  # how long a stopped service stays down
SINGLE_IDS = 100  # the single writer cycles over this many products of its own
SINGLE_PAUSE_S = 0.05  # between its writes: about 20 a second
# answers a single write may get while a fault lasts; anything else fails the case
TOLERATED = frozenset({"transport", "503"})
DEADLINE_S = 300  # a liveness bound for the test, not a speed claim (see bench/)


def _kill_index_worker(devstack_dir: Path) -> None:
    assert kill_service(devstack_dir, "worker", "celery"), "no worker process was killed"
    # its supervisor starts it again, as after any crash
    wait_for(worker_answers, DEADLINE_S, "the supervised worker back")


def _kill_write_api(devstack_dir: Path) -> None:
    assert kill_service(devstack_dir, "write_api", "uvicorn"), "no write API process was killed"
    time.sleep(OUTAGE_S)
    stack("start", "write_api")  # as an orchestrator restarts a dead container


def _restart(service: str) -> Callable[[Path], None]:
    def restart(devstack_dir: Path) -> None:
        stack("stop", service)
        time.sleep(OUTAGE_S)
        stack("start", service)

    return restart


# fault name -> what injects it (and brings the service back, as an operator would)
FAULTS: dict[str, Callable[[Path], None]] = {
    "index worker SIGKILL": _kill_index_worker,
    "Redis restart": _restart("redis"),
    "Elasticsearch restart": _restart("elasticsearch"),
    "FerretDB restart": _restart("ferretdb"),
    "write API SIGKILL mid-bulk": _kill_write_api,
}
# `make test`'s short form: the faults no other test of the suite brings in the
# middle of writes. Redis and Elasticsearch stopped while products are written
# are tests/e2e/indexing/test_write_to_search.py and test_elasticsearch_outage.py,
# each ending with a clean audit; `make faults` runs all five.
SHORT_FORM = ("index worker SIGKILL", "FerretDB restart", "write API SIGKILL mid-bulk")
RUN = list(FAULTS) if os.environ.get(FAULTS_IN_FULL) else list(SHORT_FORM)


@dataclass
class SingleWriter:
    """PUTs products of its own until stopped; keeps the version of every answered write."""

    url: str
    key: str
    prefix: str
    acked: dict[str, int] = field(default_factory=dict)
    refused: Counter[str] = field(default_factory=Counter)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        """The writer's thread: one write at a time, a pause after a refusal."""
        headers = {"Authorization": f"Bearer {self.key}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=30) as client:
            n = 0
            while not self.stop.is_set():
                product_id = f"{self.prefix}{n % SINGLE_IDS:03d}"
                n += 1
                try:
                    answer = client.put(
                        f"/v1/products/{product_id}", json=product(product_id, stock=n)
                    )
                except httpx.TransportError:
                    self.refused["transport"] += 1
                    time.sleep(0.5)
                    continue
                if answer.status_code in (200, 201):
                    version = int(answer.headers["ETag"].strip('"'))
                    self.acked[product_id] = max(version, self.acked.get(product_id, 0))
                else:
                    self.refused[str(answer.status_code)] += 1
                    time.sleep(0.5)
                time.sleep(SINGLE_PAUSE_S)


def _write_import_file(path: Path, prefix: str) -> None:
    with path.open("wb") as out:
        for n in range(IMPORT_COUNT):
            body = product(f"{prefix}{n:05d}", stock=n % 7, price=5 + n % 50)
            out.write(orjson.dumps({"op": "upsert", "product": body}) + b"\n")


def _ready(settings: Settings, service: str) -> bool:
    try:
        return httpx.get(f"{api_url(settings, service)}/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def _mongo_versions(settings: Settings, prefix: str) -> dict[str, int]:
    """Id -> version of the run's products in MongoDB (tombstones too)."""

    async def run() -> dict[str, int]:
        clients = Clients.from_settings(settings)
        try:
            cursor = clients.db[PRODUCTS].find({"_id": {"$regex": f"^{prefix}"}}, {"version": 1})
            return {doc["_id"]: int(doc["version"]) async for doc in cursor}
        finally:
            await clients.close()

    return asyncio.run(run())


def _wait_until_written(
    settings: Settings, product_id: str, importer: subprocess.Popen[str]
) -> None:
    """Until the import has written `product_id` (its lines go in order) or has ended.

    One point read by `_id` a round (fast on every server, where a scan of the
    collection takes seconds on FerretDB with the suite's catalog), polled
    often: the import's requests take well under a second each.
    """

    async def run() -> None:
        clients = Clients.from_settings(settings)
        try:
            deadline = time.monotonic() + DEADLINE_S
            while importer.poll() is None and time.monotonic() < deadline:
                if await clients.db[PRODUCTS].find_one({"_id": product_id}, {"_id": 1}):
                    return
                await asyncio.sleep(0.02)
        finally:
            await clients.close()

    asyncio.run(run())


# a hang guard, not a speed claim: the import, the fault, the indexing and the audit
# each have their own deadline, and together they may outlast the suite's default
@pytest.mark.timeout(6 * DEADLINE_S)
@pytest.mark.parametrize("fault", RUN)
def test_a_fault_mid_import_loses_nothing_and_writes_nothing_twice(
    fault: str, tmp_path: Path, settings: Settings, keys: Keys, devstack_dir: Path
) -> None:
    run = uuid.uuid4().hex[:6].upper()
    imported, single = f"FAULT-{run}-I-", f"FAULT-{run}-S-"
    lines = tmp_path / "import.ndjson"
    _write_import_file(lines, imported)
    writer = SingleWriter(api_url(settings, "write_api"), keys.editor, single)
    writing = threading.Thread(target=writer.run, name="single-writer", daemon=True)
    command = [
        *(sys.executable, "-m", "cli", "import", str(lines), "--key", keys.editor),
        *("--batch-lines", str(IMPORT_BATCH_LINES)),
    ]
    importer = subprocess.Popen(
        [*command, "--url", api_url(settings, "write_api")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    writing.start()
    try:
        _wait_until_written(settings, f"{imported}{UNDER_WAY:05d}", importer)
        assert importer.poll() is None, "the import ended before the fault"
        FAULTS[fault](devstack_dir)
        output, _ = importer.communicate(timeout=DEADLINE_S)
        assert importer.returncode == 0, output
        time.sleep(1.0)  # single writes on the recovered stack too
    finally:
        writer.stop.set()
        writing.join(timeout=60)
        if importer.poll() is None:
            importer.kill()
    try:
        assert set(writer.refused) <= TOLERATED, writer.refused
        assert writer.acked, "no single write was answered"
        wait_for(
            lambda: indexed_count(settings, imported) == IMPORT_COUNT, DEADLINE_S, "all indexed"
        )
        versions = _mongo_versions(settings, f"FAULT-{run}-")
        twice = [i for i in versions if i.startswith(imported) and versions[i] != 1]
        assert twice == [], f"written more than once: {twice[:10]}"
        lost = {i: v for i, v in writer.acked.items() if versions.get(i, 0) < v}
        assert lost == {}, f"answered single writes not in MongoDB: {lost}"
        assert_clean_audit(settings)
    finally:
        wait_for(lambda: _ready(settings, "write_api"), DEADLINE_S, "the write API ready")
        wait_for(lambda: _ready(settings, "read_api"), DEADLINE_S, "the read API ready")
        remove_products(settings, f"FAULT-{run}-")
