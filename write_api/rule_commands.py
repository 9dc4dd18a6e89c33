"""Command handlers for query rules: the versioned set's writes, plus the check of pins.

Pinned ids must name products that exist (any status): a pin of a typo would
show nothing and never be noticed. Everything else is the set's
(write_api.versioned_commands).
"""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from catalog.products.storage import is_live as product_is_live
from catalog.products.store import ProductStore
from catalog.rules.model import RuleFields
from catalog.rules.storage import RULE_SET, Document
from write_api.versioned_commands import (
    EntryConflict,
    EntryExists,
    EntryNotFound,
    EntryPreconditionFailed,
    EntryResult,
    InvalidEntry,
    VersionedCommands,
)

# the rule routes' names for the set's outcomes
RuleNotFound = EntryNotFound
RuleExists = EntryExists
RulePreconditionFailed = EntryPreconditionFailed
RuleConflict = EntryConflict
InvalidRule = InvalidEntry
RuleResult = EntryResult


class RuleCommands(VersionedCommands[RuleFields]):
    """Rule writes over the `rules` collection, checked against the product store."""

    def __init__(self, db: AsyncDatabase[Document], redis: Redis, products: ProductStore) -> None:
        super().__init__(RULE_SET, db, redis)
        self.products = products

    async def check(self, fields: RuleFields, where: tuple[str | int, ...] = ()) -> None:
        """InvalidRule naming each pin of an id that is not a product."""
        promote = fields.consequence.promote
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
