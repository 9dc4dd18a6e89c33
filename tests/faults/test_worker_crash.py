"""A worker killed with SIGKILL in the middle of a 20,000-product import loses nothing.

It lives among the fault tests, which run after the end-to-end tests: its
20,000 products are removed again at the end, so later tests scan a small
catalog (FerretDB serves every filter but an exact id by a full scan).
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import orjson
import pytest

from catalog.settings import Settings
from tests.audit import assert_clean_audit
from tests.e2e.conftest import Keys, api_url
from tests.e2e.write_api.conftest import product
from tests.faults.imports import remove_products, worker_answers
from tests.processes import kill_service
from tests.read_model import indexed_count
from tests.stack import wait_for

IMPORT_COUNT = 20_000
DEADLINE_S = 300  # a liveness bound for the test, not a speed claim (see bench/)


# a hang guard, not a speed claim: the import, the worker's return, the indexing and the
# audit each have their own deadline above, and together they may take longer than the
# suite's default of 300 s on a busy machine
@pytest.mark.timeout(4 * DEADLINE_S)
def test_a_worker_killed_mid_import_loses_nothing(
    tmp_path: Path, settings: Settings, keys: Keys, devstack_dir: Path
) -> None:
    run = uuid.uuid4().hex[:6].upper()
    lines = tmp_path / "import.ndjson"
    with lines.open("wb") as out:
        for n in range(IMPORT_COUNT):
            body = product(f"KILL-{run}-{n:05d}", stock=n % 7, price=5 + n % 50)
            out.write(orjson.dumps({"op": "upsert", "product": body}) + b"\n")
    url = api_url(settings, "write_api")
    importer = subprocess.Popen(
        [sys.executable, "-m", "cli", "import", str(lines), "--key", keys.editor, "--url", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        prefix = f"KILL-{run}-"
        wait_for(lambda: indexed_count(settings, prefix) >= 1000, DEADLINE_S, "indexing under way")
        killed = kill_service(devstack_dir, "worker", "celery")
        at_kill = indexed_count(settings, prefix)
        assert killed, "no worker process was killed"
        output, _ = importer.communicate(timeout=DEADLINE_S)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert importer.returncode == 0, output
    assert at_kill < IMPORT_COUNT  # the kill came while work remained
    wait_for(worker_answers, DEADLINE_S, "the supervised worker back")
    try:
        wait_for(lambda: indexed_count(settings, prefix) == IMPORT_COUNT, DEADLINE_S, "all indexed")
        assert_clean_audit(settings)
    finally:
        remove_products(settings, prefix)
