"""A TLS stack of the tests' own (devstack/profiles/test-tls.env), started with devstack/stack.sh.

Real nginx terminates TLS in front of two read API processes and a write API,
as `DEVSTACK_TLS=1 make up` runs them, on the test stack's Redis,
Elasticsearch and FerretDB. Requests are sent with curl from loopback
addresses other than 127.0.0.1 (Linux routes all of 127.0.0.0/8 to lo): nginx
itself connects to the APIs from 127.0.0.1, so an API that names the client
127.0.0.2 took the address nginx appended to X-Forwarded-For, not its peer.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.stack import ROOT, profile_env, stack

PROFILES = ("test", "test-tls")  # devstack/profiles/test-tls.env on top of test.env
SERVICES = ("write_api", "read_api", "read_api_2", "nginx")
CLIENT = "127.0.0.2"  # the address the requests come from


@dataclass(frozen=True)
class TlsStack:
    """Where the TLS stack answers, the CA to trust, and its log folder."""

    read_url: str
    write_url: str
    ca: Path
    logs: Path

    def curl(
        self, url: str, *args: str, client: str = CLIENT, ca: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """curl URL trusting only the stack's CA (or `ca`), from `client`; -w output last."""
        trusted = str(ca or self.ca)
        return subprocess.run(
            ["curl", "-sS", "--cacert", trusted, "--interface", client, *args, url],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


@pytest.fixture(scope="session")
def tls_stack() -> Iterator[TlsStack]:
    """The TLS stack, started for these tests and stopped after them."""
    env = profile_env(*PROFILES)
    folder = ROOT / env["DEVSTACK_DIR"]
    stack("down", env=env)  # a leftover of an interrupted run
    stack("up", *SERVICES, env=env)
    try:
        yield TlsStack(
            read_url=f"https://127.0.0.1:{env['DEVSTACK_NGINX_READ_PORT']}",
            write_url=f"https://127.0.0.1:{env['DEVSTACK_NGINX_WRITE_PORT']}",
            ca=folder / "tls" / "ca.pem",
            logs=folder / "logs",
        )
    finally:
        stack("down", env=env)
