"""JSON log lines: one object per record, extras merged, request id attached."""

from __future__ import annotations

import logging

import orjson

from catalog.logs import JsonFormatter, request_id_var


def _record(msg: str, **extra: object) -> logging.LogRecord:
    record = logging.makeLogRecord({"name": "catalog.test", "levelname": "INFO", "msg": msg})
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_a_record_becomes_one_json_object_with_its_extras() -> None:
    line = JsonFormatter().format(_record("GET %s", status=200, route="/readyz"))
    entry = orjson.loads(line)
    assert "\n" not in line
    assert entry["logger"] == "catalog.test"
    assert entry["status"] == 200
    assert entry["route"] == "/readyz"
    assert entry["ts"].endswith("+00:00")


def test_the_current_request_id_is_attached() -> None:
    token = request_id_var.set("req-42")
    try:
        entry = orjson.loads(JsonFormatter().format(_record("hello")))
    finally:
        request_id_var.reset(token)
    assert entry["request_id"] == "req-42"
    assert "request_id" not in orjson.loads(JsonFormatter().format(_record("later")))


def test_exceptions_are_kept_in_the_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = _record("failed")
        record.exc_info = sys.exc_info()
    entry = orjson.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exc"]


SECRET = "csk_0123456789ab_" + "S" * 43


def test_secrets_never_reach_a_line_whatever_logged_them() -> None:
    records = [
        _record("GET /1/indexes/products?x-algolia-api-key=sEcReT1&x-algolia-application-id=A"),
        _record("failed", error=repr({"authorization": "Bearer sEcReT1", "x": 1})),
        _record("failed", headers=[(b"x-algolia-api-key", b"sEcReT1")]),
        _record(f"key {SECRET} rejected"),
        _record("Authorization: Basic sEcReT1"),
        _record("q?X-Algolia-API-Key%3DsEcReT1&page=2"),
    ]
    for record in records:
        line = JsonFormatter().format(record)
        assert "sEcReT1" not in line, line
        assert "S" * 43 not in line, line
        assert "[redacted]" in line
        orjson.loads(line)  # still one JSON object


def test_the_public_key_id_and_other_parameters_stay() -> None:
    line = JsonFormatter().format(_record(f"key {SECRET}, ?x-algolia-application-id=APP&page=2"))
    assert "csk_0123456789ab_[redacted]" in line
    assert "x-algolia-application-id=APP&page=2" in line
