"""A minimal HTTP/1.1 keep-alive client connection for load generation.

httpx spends a few hundred microseconds of CPU per request; against an answer
served from memory in well under a millisecond, the load generator would
measure itself. This client sends prebuilt request bytes over one socket and
reads back only what the benchmark needs: the status, `X-Cache`, and the body
(by Content-Length or chunked).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from urllib.parse import urlsplit


class ProtocolError(Exception):
    """The server's answer was not HTTP/1.1 as this client understands it."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Scheme-less host and port of a plain-HTTP server, from its URL."""

    host: str
    port: int

    @classmethod
    def of(cls, url: str) -> Origin:
        """The origin of an `http://host:port` URL."""
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"only plain http:// URLs are supported: {url}")
        return cls(parts.hostname, parts.port or 80)

    @property
    def authority(self) -> str:
        """The Host header's value."""
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class Reply:
    """What the benchmark keeps of one answer."""

    status: int
    x_cache: str
    body: bytes
    headers: dict[str, str]


def request_bytes(
    origin: Origin,
    method: str,
    target: str,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> bytes:
    """One HTTP/1.1 request, ready to write to a socket."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {origin.authority}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


class Connection:
    """One keep-alive connection; reconnects when the server closed it."""

    def __init__(self, origin: Origin) -> None:
        self.origin = origin
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def send(self, raw: bytes) -> Reply:
        """Send one request and read its whole answer."""
        if self._writer is None or self._writer.is_closing():
            await self.close()
            self._reader, self._writer = await asyncio.open_connection(
                self.origin.host, self.origin.port
            )
        assert self._reader is not None
        self._writer.write(raw)
        await self._writer.drain()
        try:
            return await self._read(self._reader)
        except BaseException:
            await self.close()  # a half-read answer leaves the socket unusable
            raise

    async def _read(self, reader: asyncio.StreamReader) -> Reply:
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head[:-4].decode("latin-1").split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ProtocolError(f"bad status line {status_line!r}")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = await _chunked(reader)
        else:
            body = await reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Reply(int(parts[1]), headers.get("x-cache", ""), body, headers)

    async def close(self) -> None:
        """Close the socket, if open."""
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    while True:
        size = int((await reader.readline()).split(b";")[0].strip(), 16)
        if size == 0:
            while (await reader.readline()) not in (b"\r\n", b""):
                pass  # trailers
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)
