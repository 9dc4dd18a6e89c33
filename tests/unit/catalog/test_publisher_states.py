"""Which state a batch of index work carries for an id enqueued more than once."""

from __future__ import annotations

from catalog.queue import TaskPublisher
from catalog.settings import Settings


def _state(version: int) -> dict[str, object]:
    return {"_id": "P", "version": version, "title": f"v{version}"}


def _publisher() -> TaskPublisher:
    return TaskPublisher(Settings())  # nothing connects until it sends


def test_the_newest_state_of_an_id_is_carried() -> None:
    publisher = _publisher()
    publisher.enqueue(["P"], {"P": _state(3)})
    publisher.enqueue(["P"], {"P": _state(2)})  # a slower request finishing later
    publisher.enqueue(["Q"])
    states = publisher._take_states(["P", "Q"])
    assert states == {"P": _state(3)}
    assert publisher._take_states(["P"]) == {}  # taken once


def test_a_change_without_a_state_sends_the_indexer_to_mongodb() -> None:
    publisher = _publisher()
    publisher.enqueue(["P"], {"P": _state(3)})
    publisher.enqueue(["P"])  # e.g. its state was over 32 KiB
    publisher.enqueue(["P"], {"P": _state(4)})
    assert publisher._take_states(["P"]) == {}
    publisher.enqueue(["P"], {"P": _state(5)})  # after the batch: carried again
    assert publisher._take_states(["P"]) == {"P": _state(5)}
