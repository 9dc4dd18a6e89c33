"""HTTP/1.1 over a raw socket: bodies that claim more than they send, or never end.

httpx sends what it promises, so it cannot show that a server answers before
reading a body. These helpers can: the test holds most of the body unsent and
sees whether the answer comes anyway.
"""

from __future__ import annotations

import select
import socket
from dataclasses import dataclass, field

import orjson

HANG_GUARD_S = 60  # only so a broken server fails the test instead of hanging it


@dataclass
class Answer:
    """A parsed HTTP answer, and how much of its body the client had sent when it came."""

    status: int
    headers: dict[str, str]
    body: bytes
    sent: int = 0
    reset: bool = False  # the server closed the connection before the whole answer was read
    extra: dict[str, int] = field(default_factory=dict)

    def json(self) -> object:
        """The body as JSON."""
        return orjson.loads(self.body)


def _head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _parse(raw: bytes, sent: int, reset: bool) -> Answer:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", len(body)))
    return Answer(int(status_line.split()[1]), headers, body[:length], sent, reset)


def _read_answer(sock: socket.socket, sent: int) -> Answer:
    raw, reset = b"", False
    while True:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            reset = True
            break
        if not chunk:
            break
        raw += chunk
        head, sep, body = raw.partition(b"\r\n\r\n")
        if sep and b"content-length:" in head.lower():
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            if len(body) >= length:
                break
    return _parse(raw, sent, reset)


def claim_more_than_sent(
    port: int, method: str, path: str, declared: int, headers: dict[str, str] | None = None
) -> Answer:
    """Declare a `declared`-byte body, send only a few bytes of it, and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=HANG_GUARD_S) as sock:
        start = b'{"query": "'
        declaring = {"Content-Type": "application/json", "Content-Length": str(declared)}
        sock.sendall(_head(method, path, {**declaring, **(headers or {})}) + start)
        return _read_answer(sock, len(start))


def endless_chunked(
    port: int,
    method: str,
    path: str,
    total: int,
    headers: dict[str, str] | None = None,
    chunk_size: int = 64 * 1024,
) -> Answer:
    """Send a chunked body of up to `total` bytes, stopping as soon as the server answers."""
    chunk = b" " * chunk_size
    frame = f"{chunk_size:x}\r\n".encode() + chunk + b"\r\n"
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=HANG_GUARD_S) as sock:
        sock.sendall(
            _head(
                method,
                path,
                {
                    "Content-Type": "application/json",
                    "Transfer-Encoding": "chunked",
                    **(headers or {}),
                },
            )
        )
        while sent < total:
            readable, writable, _ = select.select([sock], [sock], [], HANG_GUARD_S)
            if readable:
                break  # the answer (or the close) came while the client still had body to send
            if not writable:
                raise AssertionError("the server neither read the body nor answered")
            try:
                sock.sendall(frame)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += chunk_size
        if sent >= total:
            sock.sendall(b"0\r\n\r\n")
        return _read_answer(sock, sent)
