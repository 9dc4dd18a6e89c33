"""The states this process last wrote, as hints that save a PUT or PATCH its read.

A single write reads the product, plans, and writes on condition that the
version is still the one it read. When this process wrote the product last,
the state it wrote is what the read would return, so the plan can start from
it. The hint is only trusted by a conditional write that takes effect: if
another process wrote meanwhile, the write matches nothing and the command
reads the store and plans again; any other outcome planned from a hint (an
unchanged write, a failed If-Match, a missing product, an invalid patch) is
decided again on a fresh read. So a stale hint costs a retry, never a wrong
answer.

On FerretDB a read costs about 1 ms of its CPU per KiB of document; a hint
saves it for every product written again while it is remembered.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

import orjson

from catalog.products.storage import Document

# a larger state is not held (its next write reads it): the memory held stays under
# capacity x this, however large the products editors send
MAX_HINT_BYTES = 32 * 1024


class RecentStates:
    """The newest state written per product id, for the `capacity` ids written last (states
    of at most MAX_HINT_BYTES as JSON)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._states: OrderedDict[str, Document] = OrderedDict()

    def get(self, product_id: str) -> Document | None:
        """The state this process wrote last for the product, if it still holds it."""
        state = self._states.get(product_id)
        if state is not None:
            self._states.move_to_end(product_id)
        return state

    def remember(self, product_id: str, state: Document) -> None:
        """Hold the state a write of this process left (a write that took effect)."""
        if self.capacity <= 0 or len(orjson.dumps(state)) > MAX_HINT_BYTES:
            self._states.pop(product_id, None)
            return
        self._states[product_id] = state
        self._states.move_to_end(product_id)
        while len(self._states) > self.capacity:
            self._states.popitem(last=False)

    def forget(self, product_ids: Iterable[str]) -> None:
        """Drop what is held for these ids (a write that did not take effect, a stale hint)."""
        for product_id in product_ids:
            self._states.pop(product_id, None)

    def __len__(self) -> int:
        return len(self._states)
