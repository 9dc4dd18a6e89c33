"""Command handlers for query rules: create, replace, delete, bulk; each write bumps the version.

A write is one conditional single-document write (`{_id, version}` as read),
so a racing writer makes it re-plan, or, with If-Match, answer 412. Pinned
ids must name products that exist (any status): a pin of a typo would show
nothing and never be noticed. After MongoDB has the write, the rules version
in Redis is incremented so read APIs reload within their poll interval.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError
from redis.asyncio import Redis
from redis.exceptions import RedisError

from catalog.clock import now_ms
from catalog.products.storage import is_live as product_is_live
from catalog.products.store import ProductStore
from catalog.rules.model import MAX_RULES, RuleFields
from catalog.rules.storage import RULES, RULES_VERSION_KEY, Document, body_of, is_live, new_document

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class RuleNotFound(Exception):
    """No live rule with this id."""


class RuleExists(Exception):
    """A create found a live rule with this id."""


class RulePreconditionFailed(Exception):
    """If-Match named a version the rule does not have."""


class RuleConflict(Exception):
    """Other writers kept changing the rule, or the rule set is full."""


class InvalidRule(Exception):
    """A rule that validates alone but not against the catalog (pins of unknown ids)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("invalid rule")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class RuleResult:
    """What a write did and the document it left behind."""

    outcome: str  # created | updated | unchanged | deleted
    document: Document


def _matches(current: Document | None, if_match: str | None) -> bool:
    if if_match is None:
        return True
    if not is_live(current):
        return False
    if if_match.strip() == "*":
        return True
    assert current is not None
    tags = {tag.strip().removeprefix("W/").strip('"') for tag in if_match.split(",")}
    return str(current["version"]) in tags


class RuleCommands:
    """Rule writes over the `rules` collection, checked against the product store."""

    def __init__(self, db: AsyncDatabase[Document], redis: Redis, products: ProductStore) -> None:
        self.rules = db[RULES]
        self.redis = redis
        self.products = products

    async def get(self, rule_id: str) -> Document | None:
        """The stored rule (live or tombstone), or None."""
        return await self.rules.find_one({"_id": rule_id})

    async def list_live(self, limit: int) -> list[Document]:
        """Live rules by id."""
        # tombstones are filtered here: FerretDB's handling of `{field: null}` differs
        live = [doc async for doc in self.rules.find({}) if is_live(doc)]
        return sorted(live, key=lambda doc: str(doc["_id"]))[:limit]

    async def check_pins(self, rule: RuleFields, where: Sequence[str | int] = ()) -> None:
        """InvalidRule naming each pin of an id that is not a product."""
        promote = rule.consequence.promote
        wanted = sorted({pid for p in promote for pid in p.ids()})
        if not wanted:
            return
        found = await self.products.get_many(wanted)
        live = {pid for pid, doc in found.items() if product_is_live(doc)}
        errors = []
        for i, entry in enumerate(promote):
            key = "objectID" if entry.objectID is not None else "objectIDs"
            for j, pid in enumerate(entry.ids()):
                if pid not in live:
                    loc = [*where, "consequence", "promote", i, key]
                    loc += [j] if key == "objectIDs" else []
                    errors.append(
                        {"loc": loc, "msg": f"no product {pid!r}", "type": "unknown_product"}
                    )
        if errors:
            raise InvalidRule(errors)

    async def upsert(
        self, rule_id: str, rule: RuleFields, *, if_match: str | None, create_only: bool = False
    ) -> RuleResult:
        """Create or replace a rule (create_only: RuleExists when it is live)."""
        await self.check_pins(rule)
        body = body_of(rule)
        for _ in range(MAX_ATTEMPTS):
            current = await self.get(rule_id)
            live = is_live(current)
            if create_only and live:
                raise RuleExists
            if not _matches(current, if_match):
                raise RulePreconditionFailed
            if live and current is not None and current["body"] == body:
                return RuleResult("unchanged", current)
            if not live:
                await self._check_room()
            now = now_ms()
            if current is None:
                doc = new_document(rule_id, body, 1, now, now)
                try:
                    await self.rules.insert_one(doc)
                except DuplicateKeyError:
                    continue
            else:
                created = current["created_at"] if live else now
                doc = new_document(rule_id, body, current["version"] + 1, now, created)
                done = await self.rules.replace_one(
                    {"_id": rule_id, "version": current["version"]}, doc
                )
                if done.matched_count != 1:
                    if if_match is not None:
                        raise RulePreconditionFailed
                    continue
            await self.bump()
            return RuleResult("updated" if live else "created", doc)
        raise RuleConflict

    async def delete(self, rule_id: str, *, if_match: str | None) -> RuleResult:
        """Turn a live rule into a versioned tombstone."""
        for _ in range(MAX_ATTEMPTS):
            current = await self.get(rule_id)
            if not is_live(current):
                raise RuleNotFound
            assert current is not None
            if not _matches(current, if_match):
                raise RulePreconditionFailed
            now = now_ms()
            doc = {
                **new_document(rule_id, "{}", current["version"] + 1, now, current["created_at"]),
                "deleted_at": now,
            }
            done = await self.rules.replace_one(
                {"_id": rule_id, "version": current["version"]}, doc
            )
            if done.matched_count == 1:
                await self.bump()
                return RuleResult("deleted", doc)
            if if_match is not None:
                raise RulePreconditionFailed
        raise RuleConflict

    async def _check_room(self) -> None:
        if len(await self.list_live(MAX_RULES)) >= MAX_RULES:
            raise RuleConflict(f"the rule set is full ({MAX_RULES} rules); delete one first")

    async def bump(self) -> None:
        """Tell read APIs the rule set changed (they also reload periodically)."""
        try:
            await self.redis.incr(RULES_VERSION_KEY)
        except RedisError as exc:  # MongoDB has the write: the periodic reload brings it
            log.warning("rules version not bumped", extra={"error": repr(exc)})
