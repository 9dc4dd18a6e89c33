"""The one write path of single writes and bulk batches (a single write is a batch of one).

Steps, each once per batch: copy the outboxes the writes replace to the change
log (before the writes, so no entry is ever lost), record the ids as pending
(before the writes, so a process killed after them leaves them to the
sweeper), execute the plans, copy the new change entries, and queue index
tasks carrying the states written. A
failed copy of the new entries is deferred, not fatal: they stay in their
outboxes, and the indexer, sent to read those products back, copies them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from catalog.products.storage import Document
from catalog.queue import TaskPublisher
from write_api.mutations import Mutation
from write_api.store import ProductStore

log = logging.getLogger(__name__)


class WritePipeline:
    """Executes planned mutations and hands what they wrote to the indexer."""

    def __init__(self, store: ProductStore, publisher: TaskPublisher) -> None:
        self.store = store
        self.publisher = publisher

    async def write(
        self, mutations: Sequence[Mutation], current: Mapping[str, Document]
    ) -> set[str]:
        """Copy the outboxes these writes replace, then execute them; the ids written."""
        writes = [m for m in mutations if m.write is not None]
        replaced = [
            entry for m in writes for entry in current.get(m.product_id, {}).get("_outbox", [])
        ]
        await self.store.record_changes(replaced)
        await self.publisher.record_before_write([m.product_id for m in writes])
        return await self.store.apply_many(writes)

    async def publish(self, written: Sequence[Mutation]) -> None:
        """Copy the change entries of these writes and queue their indexing."""
        if not written:
            return
        states = {m.product_id: m.after for m in written if m.after is not None}
        try:
            await self.store.record_changes([m.change for m in written if m.change])
        except Exception:  # entries stay in their outboxes; history shows them
            log.warning(
                "change log copy deferred",
                extra={"products": len(written), "product_id": written[0].product_id},
            )
            states = {}  # the indexer reads the products back, outboxes and all
        self.publisher.enqueue([m.product_id for m in written], states)
