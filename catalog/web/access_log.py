"""The JSON access log: one line per request, written in batches.

Through `logging` a line cost about a fifth of a cached search's CPU (a
`LogRecord`, the handler chain, one `write` to stderr each: profiled with
py-spy, see docs/benchmarks.md). Here a request appends its line, already
JSON, to a buffer; the buffer goes to stderr in one write when it holds
`MAX_BUFFER_BYTES`, `FLUSH_S` after its first line, and at exit. The lines
are the ones `catalog.logs.JsonFormatter` writes (same keys, the request id,
redacted the same way), and the `catalog.access` logger's level still turns
them on and off. A process killed outright loses at most `FLUSH_S` of them.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any, BinaryIO

from catalog.logs import json_line, request_id_var

LOGGER_NAME = "catalog.access"
FLUSH_S = 0.2
MAX_BUFFER_BYTES = 64 * 1024
_level_of = logging.getLogger(LOGGER_NAME)


class AccessLog:
    """A buffer of access lines and the timer that writes it."""

    def __init__(self, stream: BinaryIO | None = None) -> None:
        self._stream = stream  # None: the process's stderr, looked up at each write
        self._lines: list[bytes] = []
        self._size = 0
        self._timer: asyncio.TimerHandle | None = None

    def record(self, message: str, fields: dict[str, Any]) -> None:
        """Queue one access line (never raises: a request never fails for its log line)."""
        if not _level_of.isEnabledFor(logging.INFO):
            return
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(time.time(), UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": LOGGER_NAME,
            "msg": message,
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        entry |= fields
        line = json_line(entry).encode() + b"\n"
        self._lines.append(line)
        self._size += len(line)
        if self._size >= MAX_BUFFER_BYTES:
            self.flush()
        elif self._timer is None:
            try:
                self._timer = asyncio.get_running_loop().call_later(FLUSH_S, self.flush)
            except RuntimeError:  # no event loop: write now
                self.flush()

    def flush(self) -> None:
        """Write what is queued, in one write."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._lines:
            return
        data, self._lines, self._size = b"".join(self._lines), [], 0
        try:
            stream = self._stream or sys.stderr.buffer
            sys.stderr.flush()  # lines `logging` wrote before these go first
            stream.write(data)
            stream.flush()
        except (OSError, ValueError, AttributeError):  # stderr closed or replaced
            pass


ACCESS_LOG = AccessLog()
atexit.register(ACCESS_LOG.flush)
