"""The cached-search baseline: a bare FastAPI app answering fixed bytes, served like the read API.

`serve_bare` writes a captured answer (body and headers) to a scratch folder
and starts this module's `create_app` with uvicorn on a free 127.0.0.1 port,
with the settings devstack starts the read API with (`start_api` in
devstack/lib/services.sh). The app has one route, `GET /v1/search`, that
ignores its parameters and answers those bytes: what the framework and server
cost on their own, for the same request and answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import orjson
from fastapi import FastAPI, Response

from catalog.web.factory import NO_TELEMETRY

ROOT = Path(__file__).resolve().parent.parent
ANSWER_DIR_ENV = "BENCH_BARE_ANSWER_DIR"
START_TIMEOUT_S = 30.0
# what the server adds itself, or what must match the bytes actually sent
SERVER_HEADERS = frozenset({"date", "server", "content-length", "transfer-encoding", "connection"})


def create_app() -> FastAPI:
    """The bare app; uvicorn calls this as a factory (the answer's folder in the environment)."""
    folder = Path(os.environ[ANSWER_DIR_ENV])
    body = (folder / "body").read_bytes()
    headers: dict[str, str] = orjson.loads((folder / "headers.json").read_bytes())
    media_type = headers.pop("content-type", "application/json")
    # telemetry off as in the services (catalog.web.factory): the floor, not a handicap
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, telemetry=NO_TELEMETRY)

    @app.get("/v1/search")
    async def search() -> Response:
        return Response(body, headers=headers, media_type=media_type)

    return app


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def serve_bare(body: bytes, headers: dict[str, str]) -> AsyncIterator[str]:
    """Run the bare app answering `body` with `headers`; yields its base URL."""
    kept = {k.lower(): v for k, v in headers.items() if k.lower() not in SERVER_HEADERS}
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as folder:
        (Path(folder) / "body").write_bytes(body)
        (Path(folder) / "headers.json").write_bytes(orjson.dumps(kept))
        port = free_port()
        command = [
            sys.executable, "-m", "uvicorn", "--factory", f"{__name__}:create_app",
            "--host", "127.0.0.1", "--port", str(port),
            "--no-access-log", "--log-level", "warning", "--timeout-graceful-shutdown", "10",
        ]  # fmt: skip
        server = subprocess.Popen(  # noqa: ASYNC220 - started once, waited for below
            command, cwd=ROOT, env={**os.environ, ANSWER_DIR_ENV: folder}
        )
        url = f"http://127.0.0.1:{port}"
        try:
            await _until_up(url, server)
            yield url
        finally:
            server.terminate()
            try:
                await asyncio.to_thread(server.wait, 15)
            except subprocess.TimeoutExpired:
                server.kill()
                await asyncio.to_thread(server.wait)


async def _until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = asyncio.get_running_loop().time() + START_TIMEOUT_S
    async with httpx.AsyncClient(timeout=2) as client:
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the bare app exited with {server.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"{url}/v1/search")).status_code == 200:
                    return
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError("the bare app did not start in time")
            await asyncio.sleep(0.1)
