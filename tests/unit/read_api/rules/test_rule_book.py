"""The rule book's refresh: reload on a new version, keep quiet when a reload finds nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from read_api.rules import book as book_module
from read_api.rules.book import RuleBook

NOW = datetime(2026, 6, 1, tzinfo=UTC)


class Collection:
    def __init__(self, docs: list[dict[str, Any]]) -> None:
        self.docs = docs

    async def _iterate(self) -> AsyncIterator[dict[str, Any]]:
        for doc in self.docs:
            yield doc

    def find(self, _: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
        return self._iterate()


class Redis:
    def __init__(self) -> None:
        self.version: bytes | None = None

    async def get(self, _: str) -> bytes | None:
        return self.version


def rule_doc(rule_id: str, version: int, **fields: Any) -> dict[str, Any]:
    body = {"conditions": [{"pattern": "x"}], "consequence": {"userData": rule_id}, **fields}
    return {"_id": rule_id, "version": version, "body": orjson.dumps(body).decode()}


def test_reloads_on_a_new_version_and_when_a_window_closes(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [NOW]
    monkeypatch.setattr(book_module, "utc_now", lambda: now[0])
    window = {
        "from": (NOW - timedelta(hours=1)).isoformat(),
        "until": (NOW + timedelta(hours=1)).isoformat(),
    }
    rules = Collection([rule_doc("a", 1, validity=[window])])
    redis = Redis()
    changes: list[int] = []
    book = RuleBook(
        {"rules": rules}, redis, poll_s=0.1, reload_s=3600, on_change=lambda: changes.append(1)
    )  # type: ignore[arg-type]

    async def run() -> None:
        await book.refresh()
        assert [r.id for r in book.index.rules] == ["a"]
        assert len(changes) == 1
        await book.refresh()  # nothing moved
        assert len(changes) == 1
        rules.docs.append(rule_doc("b", 1))
        redis.version = b"1"
        await book.refresh()
        assert [r.id for r in book.index.rules] == ["a", "b"]
        assert len(changes) == 2
        book.loaded_at = float("-inf")  # a periodic reload finding the same rules
        await book.refresh()
        assert len(changes) == 2
        now[0] = NOW + timedelta(hours=2)  # rule a's window closed: cached keys are outdated
        await book.refresh()
        assert len(changes) == 3

    asyncio.run(run())


def test_tombstones_are_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(book_module, "utc_now", lambda: NOW)
    gone = {**rule_doc("gone", 2), "deleted_at": NOW, "body": "{}"}
    book = RuleBook(
        {"rules": Collection([gone, rule_doc("kept", 1)])}, Redis(), poll_s=1, reload_s=30
    )  # type: ignore[arg-type]
    asyncio.run(book.refresh())
    assert [r.id for r in book.index.rules] == ["kept"]
