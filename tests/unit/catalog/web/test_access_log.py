"""The access log's buffer: lines like every other JSON log line, written in batches."""

from __future__ import annotations

import asyncio
import io
import logging

import orjson
import pytest

from catalog.logs import JsonFormatter, request_id_var
from catalog.web import access_log
from catalog.web.access_log import AccessLog

pytestmark = pytest.mark.usefixtures("access_lines_on")


def test_lines_wait_in_the_buffer_and_go_out_in_one_write_after_the_interval() -> None:
    stream = io.BytesIO()
    log = AccessLog(stream)

    async def run() -> tuple[bytes, bytes]:
        for n in range(3):
            log.record(f"GET /{n} 200", {"status": 200})
        queued = stream.getvalue()
        await asyncio.sleep(access_log.FLUSH_S * 2)
        return queued, stream.getvalue()

    queued, written = asyncio.run(run())
    assert queued == b""
    assert [orjson.loads(line)["msg"] for line in written.splitlines()] == [
        "GET /0 200",
        "GET /1 200",
        "GET /2 200",
    ]


def test_a_full_buffer_is_written_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access_log, "MAX_BUFFER_BYTES", 300)  # about 1.5 lines
    stream = io.BytesIO()
    log = AccessLog(stream)

    async def run() -> bytes:
        for _ in range(3):
            log.record("GET /x 200", {"padding": "p" * 100})
        return stream.getvalue()

    assert len(asyncio.run(run()).splitlines()) == 2  # the third waits for the timer


def test_a_line_has_the_keys_of_any_json_log_line_and_is_redacted() -> None:
    stream = io.BytesIO()
    log = AccessLog(stream)
    token = request_id_var.set("req-7")
    try:
        log.record("GET /v1/search 200", {"path": "/v1/search", "note": "Bearer s3cr3t"})
        record = logging.makeLogRecord({"name": "catalog.access", "msg": "m", "levelname": "INFO"})
        formatted = orjson.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    (line,) = stream.getvalue().splitlines()  # no event loop: written at once
    entry = orjson.loads(line)
    assert set(formatted) <= set(entry)
    assert (entry["logger"], entry["level"], entry["request_id"]) == (
        "catalog.access",
        "INFO",
        "req-7",
    )
    assert "s3cr3t" not in line.decode()


def test_the_loggers_level_still_turns_the_lines_off() -> None:
    stream = io.BytesIO()
    logger = logging.getLogger(access_log.LOGGER_NAME)
    before = logger.level
    logger.setLevel(logging.WARNING)
    try:
        AccessLog(stream).record("GET / 200", {})
    finally:
        logger.setLevel(before)
    assert stream.getvalue() == b""
