"""The one write path of single writes and bulk batches (a single write is a batch of one).

Steps, each once per batch: copy to the change log the outbox entries these
writes drop (before the writes, so no entry is ever lost; an entry copied
before is skipped), record the ids as pending (before the writes, so a
process killed after them leaves them to the sweeper), execute the plans,
and queue index tasks carrying the states written, outboxes included.

An outbox holds a product's newest entries (catalog.products.mutations), so
a batch of new products costs one insert each and nothing else in MongoDB,
and only about one write in eight of a product copies anything. History
shows the entries still in an outbox from there.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from catalog.products.mutations import Mutation
from catalog.products.store import ProductStore
from catalog.queue import TaskPublisher


class WritePipeline:
    """Executes planned mutations and hands what they wrote to the indexer."""

    def __init__(self, store: ProductStore, publisher: TaskPublisher) -> None:
        self.store = store
        self.publisher = publisher

    async def write(self, mutations: Sequence[Mutation]) -> set[str]:
        """Copy the outbox entries these writes drop, then execute them; the ids written."""
        writes = [m for m in mutations if m.write is not None]
        await self.store.record_changes([entry for m in writes for entry in m.spilled])
        await self.publisher.record_before_write([m.product_id for m in writes])
        return await self.store.apply_many(writes)

    async def publish(self, mutations: Sequence[Mutation], applied: Collection[str]) -> None:
        """Queue the indexing of the writes applied, each carrying the state it left, and
        of the unchanged products still pending (see Mutation.may_resend)."""
        unchanged = [m.product_id for m in mutations if m.may_resend]
        resent = set(await self.publisher.still_pending(unchanged)) if unchanged else set()
        sent = [
            m
            for m in mutations
            if (m.product_id in applied if m.write is not None else m.product_id in resent)
        ]
        if not sent:
            return
        states = {m.product_id: m.after for m in sent if m.after is not None}
        self.publisher.enqueue([m.product_id for m in sent], states)
