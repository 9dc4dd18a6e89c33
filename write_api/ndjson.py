"""Streaming NDJSON in and out of the bulk endpoint with flat memory."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

SPOOL_IN_MEMORY_BYTES = 1024 * 1024
READ_CHUNK = 64 * 1024


async def split_lines(
    chunks: AsyncIterator[bytes], max_line_bytes: int
) -> AsyncIterator[tuple[int, bytes | None]]:
    """Physical lines as (1-based number, bytes); None for a line over the limit.

    A long line is never held whole: once it passes the limit its bytes are
    dropped until the next newline. Blank lines keep their number but are skipped.
    """
    buffer = bytearray()
    number = 0
    too_long = False
    async for chunk in chunks:
        start = 0
        while True:
            newline = chunk.find(b"\n", start)
            piece = chunk[start:] if newline < 0 else chunk[start:newline]
            if not too_long:
                buffer += piece
                if len(buffer) > max_line_bytes:
                    too_long = True
                    buffer.clear()
            if newline < 0:
                break
            start = newline + 1
            number += 1
            line = None if too_long else bytes(buffer).rstrip(b"\r")
            buffer.clear()
            too_long = False
            if line is None or line.strip():
                yield number, line
    if too_long or bytes(buffer).strip():
        yield number + 1, None if too_long else bytes(buffer).rstrip(b"\r")


class Spool:
    """A byte pipe the producer never waits on: overflow goes to a temporary file.

    The bulk endpoint writes results here while still reading the request, so
    a client that reads the answer only after sending everything cannot
    deadlock it, and memory stays bounded.
    """

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
        self._written = 0
        self._read = 0
        self._closed = False
        self._changed = asyncio.Event()

    def write(self, data: bytes) -> None:
        """Append bytes (never blocks)."""
        self._file.seek(self._written)
        self._file.write(data)
        self._written += len(data)
        self._changed.set()

    def close(self) -> None:
        """No more bytes will come."""
        self._closed = True
        self._changed.set()

    async def chunks(self) -> AsyncIterator[bytes]:
        """The bytes in order, as they arrive, until closed."""
        try:
            while True:
                if self._read < self._written:
                    self._file.seek(self._read)
                    data = self._file.read(min(READ_CHUNK, self._written - self._read))
                    self._read += len(data)
                    yield data
                    continue
                if self._closed:
                    return
                self._changed.clear()
                await self._changed.wait()
        finally:
            self._file.close()


class StreamingOnlyResponse(StreamingResponse):
    """A streaming response that leaves `receive` to the endpoint.

    Starlette's StreamingResponse listens for disconnects on `receive` while
    streaming (for ASGI < 2.4), which would swallow request body chunks the
    endpoint is still reading. A disconnect still surfaces through
    `request.stream()` here.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send headers and stream the body."""
        await self.stream_response(send)
