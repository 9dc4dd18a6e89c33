"""A task sent from this process runs in the real worker process, through real Redis."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from catalog.queue import INDEX_QUEUE
from workers.celery_app import DEFAULT_QUEUE
from workers.tasks.diagnostics import probe


def _parent_pid(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    # the command name may hold spaces; fields after its closing parenthesis are fixed
    return int(stat.rsplit(")", 1)[1].split()[1])


@pytest.mark.parametrize(
    ("queue", "service"), [(INDEX_QUEUE, "worker"), (DEFAULT_QUEUE, "background")]
)
def test_each_queue_is_served_by_its_own_stack_worker(
    devstack_dir: Path, queue: str, service: str
) -> None:
    nonce = uuid.uuid4().hex
    answer = probe.apply_async((nonce,), queue=queue).get(timeout=60)
    assert answer["nonce"] == nonce
    assert answer["pid"] != os.getpid()
    served_by = int((devstack_dir / "run" / f"{service}.pid").read_text())
    # the task runs in a prefork child of that worker, which runs under its supervisor
    ancestors, pid = [], answer["pid"]
    while pid > 1:
        pid = _parent_pid(pid)
        ancestors.append(pid)
    assert served_by in ancestors


def test_several_tasks_each_get_their_own_answer() -> None:
    nonces = [uuid.uuid4().hex for _ in range(10)]
    pending = [probe.apply_async((nonce,)) for nonce in nonces]
    assert [p.get(timeout=60)["nonce"] for p in pending] == nonces
