"""The rule set a read API process searches with (read_api.set_book: loaded, kept current).

After each reload that found rules changed (ids and versions), and when a
validity window opens or closes, `on_change` runs: the hit path forgets the
keys it remembered, since rule consequences are part of every cache key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from catalog.rules.model import MAX_RULES
from catalog.rules.storage import RULE_SET, Document, rule_of
from read_api.rules.compiled import compile_rule
from read_api.rules.matching import RuleIndex
from read_api.set_book import SetBook, book_lifespan

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    """Now, as validity windows compare it."""
    return datetime.now(UTC)


class RuleBook(SetBook[RuleIndex]):
    """The current rule index; also tells when a validity window opens or closes."""

    def __init__(
        self,
        db: AsyncDatabase[Document],
        redis: Redis,
        *,
        poll_s: float,
        reload_s: float,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(
            RULE_SET,
            db,
            redis,
            RuleIndex.of([]),
            poll_s=poll_s,
            reload_s=reload_s,
            on_change=on_change,
        )
        self.next_change: datetime | None = None

    def build(self, docs: list[Document]) -> RuleIndex:
        """The live rules, compiled and indexed (an unreadable one left out)."""
        compiled = []
        for doc in docs:
            try:
                fields = rule_of(doc)
            except ValueError as exc:  # written by another version of the model: left out
                log.warning("stored rule unreadable", extra={"rule": doc["_id"], "error": str(exc)})
                continue
            rule = compile_rule(str(doc["_id"]), fields)
            if rule is not None:
                compiled.append(rule)
        return RuleIndex.of(compiled[:MAX_RULES])

    def changed(self) -> None:
        """A new rule set: note its next window change, then tell the hit path."""
        self.next_change = self.index.next_change(utc_now())
        self.on_change()

    def tick(self) -> None:
        """A validity window opened or closed: the answers of before are stale."""
        if self.next_change is not None and utc_now() >= self.next_change:
            self.next_change = self.index.next_change(utc_now())
            self.on_change()


# the process's rule book and its refresh loop
rules_lifespan = book_lifespan(
    "rules",
    lambda db, redis, poll_s, reload_s, on_change: RuleBook(
        db, redis, poll_s=poll_s, reload_s=reload_s, on_change=on_change
    ),
)
