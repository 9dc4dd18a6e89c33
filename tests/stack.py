"""Drive the test stack from tests: stop and start one real service, wait for readiness."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "devstack" / "stack.sh"


def stack(command: str, service: str) -> None:
    """Run `devstack/stack.sh COMMAND SERVICE` for the stack of this test run."""
    subprocess.run([str(STACK), command, service], check=True, cwd=ROOT, timeout=300)


def wait_for(condition: Callable[[], bool], deadline_s: float, what: str) -> None:
    """Poll `condition` until it holds; fail with `what` when the deadline passes."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {deadline_s:g}s")
