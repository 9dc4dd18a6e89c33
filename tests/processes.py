"""Processes of a test's own: a private read API, and crashing a stack service the hard way."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.stack import wait_for

ROOT = Path(__file__).resolve().parents[1]
START_DEADLINE_S = 60  # a liveness bound, not a speed claim


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def private_read_api(overrides: Mapping[str, str]) -> Iterator[httpx.Client]:
    """A read API process of the caller's own on a free port, with these settings changed."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "read_api.app:create_app"]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, **overrides},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:

            def up() -> bool:
                try:
                    return client.get("/healthz").status_code == 200
                except httpx.TransportError:
                    return False

            wait_for(up, START_DEADLINE_S, "the private read API started")
            yield client
    finally:
        process.terminate()
        process.wait(timeout=30)


def kill_service(devstack_dir: Path, service: str, command_part: str) -> list[int]:
    """SIGKILL every process of SERVICE's process group whose command line has `command_part`.

    The stack starts each service in its own session (setsid), so the pid file
    names the group. The supervising loop is spared when it does not match,
    and restarts the service as it would after any crash.
    """
    group = int((devstack_dir / "run" / f"{service}.pid").read_text().strip())
    listing = subprocess.run(
        # -ww: full command lines; without it ps cuts them at 80 columns when not on a
        # terminal, and in a worktree with a long path "celery" fell past the cut
        ["ps", "-ww", "-o", "pid=,args=", "-g", str(group)],
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
