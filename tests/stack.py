"""Drive the test stack from tests: stop and start one real service, wait for readiness."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "devstack" / "stack.sh"
PROFILES = ROOT / "devstack" / "profiles"


def stack(
    command: str, *args: str, env: Mapping[str, str] | None = None, timeout_s: float = 300
) -> None:
    """Run `devstack/stack.sh COMMAND ARGS...` for this test run's stack (or the one `env` sets)."""
    subprocess.run([str(STACK), command, *args], check=True, cwd=ROOT, timeout=timeout_s, env=env)


@contextlib.contextmanager
def stopped(service: str) -> Iterator[None]:
    """SERVICE of this run's stack stopped inside the block, started again whatever happens."""
    stack("stop", service)
    try:
        yield
    finally:
        stack("start", service)  # a no-op when the block already restarted it


def profile_env(*names: str) -> dict[str, str]:
    """This environment with the profiles `devstack/profiles/NAME.env` applied in turn, as bash.

    The DEVSTACK_* variables of the stack this run started are left out (but the
    shared cache), so the profiles describe their stack alone.
    """
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DEVSTACK_") or key == "DEVSTACK_CACHE"
    }
    script = 'set -a; for profile; do source "$profile"; done; set +a; env -0'
    out = subprocess.run(
        ["bash", "-c", script, "profiles", *(str(PROFILES / f"{name}.env") for name in names)],
        check=True,
        capture_output=True,
        env=inherited,
        timeout=30,
    ).stdout.decode()
    pairs = (entry.partition("=") for entry in out.split("\0") if entry)
    return {key: value for key, _, value in pairs}


def wait_for(condition: Callable[[], bool], deadline_s: float, what: str) -> None:
    """Poll `condition` until it holds; fail with `what` when the deadline passes."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {deadline_s:g}s")
