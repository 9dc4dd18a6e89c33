"""A task sent from this process runs in the real worker process, through real Redis."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from workers.tasks.diagnostics import probe


def _parent_pid(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    # the command name may hold spaces; fields after its closing parenthesis are fixed
    return int(stat.rsplit(")", 1)[1].split()[1])


def test_a_probe_task_is_executed_by_the_stack_worker(devstack_dir: Path) -> None:
    nonce = uuid.uuid4().hex
    answer = probe.apply_async((nonce,)).get(timeout=60)
    assert answer["nonce"] == nonce
    assert answer["pid"] != os.getpid()
    worker_pid = int((devstack_dir / "run" / "worker.pid").read_text())
    # the task runs in a prefork child of the worker, which runs under its supervisor
    ancestors, pid = [], answer["pid"]
    while pid > 1:
        pid = _parent_pid(pid)
        ancestors.append(pid)
    assert worker_pid in ancestors


def test_several_tasks_each_get_their_own_answer() -> None:
    nonces = [uuid.uuid4().hex for _ in range(10)]
    pending = [probe.apply_async((nonce,)) for nonce in nonces]
    assert [p.get(timeout=60)["nonce"] for p in pending] == nonces
