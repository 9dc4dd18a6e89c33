"""Crashing a service of the test stack the hard way: SIGKILL, as a power cut would."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path


def kill_service(devstack_dir: Path, service: str, command_part: str) -> list[int]:
    """SIGKILL every process of SERVICE's process group whose command line has `command_part`.

    The stack starts each service in its own session (setsid), so the pid file
    names the group. The supervising loop is spared when it does not match,
    and restarts the service as it would after any crash.
    """
    group = int((devstack_dir / "run" / f"{service}.pid").read_text().strip())
    listing = subprocess.run(
        ["ps", "-o", "pid=,args=", "-g", str(group)],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    ).stdout
    killed = []
    for line in listing.splitlines():
        pid_text, _, args = line.strip().partition(" ")
        if command_part in args and "supervisor" not in args:
            os.kill(int(pid_text), signal.SIGKILL)
            killed.append(int(pid_text))
    return killed
