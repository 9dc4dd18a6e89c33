"""Elasticsearch unreachable: a real read API process answers 503 with Retry-After."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.stack import wait_for

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def read_api_without_elasticsearch() -> Iterator[httpx.Client]:
    """A read API of its own whose Elasticsearch URL points at a port nothing listens on."""
    port = _free_port()
    env = {
        **os.environ,
        "CATALOG_ES_URL": f"http://127.0.0.1:{_free_port()}",
        "CATALOG_RETRY_AFTER_S": "7",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "read_api.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
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

            wait_for(up, 60, "the read API started")
            yield client
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize(
    "path",
    [
        "/v1/search?q=hülle",
        "/v1/listing?category=Audio",
        "/v1/products/ACME-1",
        "/v1/autocomplete?q=hü",
        "/v1/facets/brand/values?q=sp",
    ],
)
def test_every_route_answers_503_with_retry_after(
    read_api_without_elasticsearch: httpx.Client, path: str
) -> None:
    response = read_api_without_elasticsearch.get(path)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    assert response.json()["dependency"] == "elasticsearch"
