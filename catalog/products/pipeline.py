"""The one write path of single writes and bulk batches (a single write is a batch of one).

Steps, each once per batch: copy to the change log the outboxes these writes
replace, where they may not be copied yet (before the writes, so no entry is
ever lost), record the ids as pending (before the writes, so a process killed
after them leaves them to the sweeper), execute the plans, and queue index
tasks carrying the states written, outboxes included.

A product without an unsynced mark had its outbox copied by the indexer
before the mark went, so replacing it copies nothing; the new entries are
copied by the indexer too, one insert per task, off the write's path. Until
then the product's history shows them from its outbox.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from catalog.products.mutations import Mutation
from catalog.products.storage import Document, is_unsynced
from catalog.products.store import ProductStore
from catalog.queue import TaskPublisher


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
            entry
            for m in writes
            if is_unsynced(state := current.get(m.product_id, {}))
            for entry in state.get("_outbox", [])
        ]
        await self.store.record_changes(replaced)
        await self.publisher.record_before_write([m.product_id for m in writes])
        return await self.store.apply_many(writes)

    async def publish(self, mutations: Sequence[Mutation], applied: Collection[str]) -> None:
        """Queue the indexing of the writes applied, each carrying the state it left, and
        of the unchanged products still unsynced (see Mutation.resends)."""
        sent = [
            m for m in mutations if (m.product_id in applied if m.write is not None else m.resends)
        ]
        if not sent:
            return
        states = {m.product_id: m.after for m in sent if m.after is not None}
        self.publisher.enqueue([m.product_id for m in sent], states)
