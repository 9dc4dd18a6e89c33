"""Reading the bulk answer: the version of every product, and failure on any refused line."""

from __future__ import annotations

import orjson
import pytest

from tests.bulk_load import LoadFailed, written_versions

SUMMARY = {"lines": 2, "created": 1, "updated": 0, "unchanged": 1, "errors": 0}


def _lines(*results: dict[str, object]) -> list[bytes]:
    return [orjson.dumps(r) for r in results]


def test_every_written_product_has_its_version() -> None:
    loaded = written_versions(
        _lines(
            {"line": 1, "id": "a", "op": "upsert", "status": "created", "version": 1},
            {"line": 2, "id": "b", "op": "upsert", "status": "unchanged", "version": 4},
            {"summary": SUMMARY},
        )
    )
    assert loaded.versions == {"a": 1, "b": 4}
    assert loaded.summary == SUMMARY


def test_a_refused_line_fails_the_load() -> None:
    error = {"line": 1, "status": "error", "error": {"message": "title: missing"}}
    with pytest.raises(LoadFailed, match="title: missing"):
        written_versions(_lines(error, {"summary": {**SUMMARY, "errors": 1}}))


def test_an_answer_without_its_summary_or_an_aborted_one_fails() -> None:
    written = {"line": 1, "id": "a", "status": "created", "version": 1}
    with pytest.raises(LoadFailed, match="before its summary"):
        written_versions(_lines(written))
    with pytest.raises(LoadFailed, match="aborted"):
        written_versions(_lines(written, {"summary": {**SUMMARY, "aborted": "shutdown"}}))
