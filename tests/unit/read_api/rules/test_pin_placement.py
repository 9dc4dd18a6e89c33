"""Pinned hits placed into a page: positions, totals, and pins that do not match."""

from __future__ import annotations

from typing import Any

from read_api.query.merchandising import Merchandising, Pin
from read_api.query.pins import PINNED_AGG, organic_window, place_pins


def hit(pid: str) -> dict[str, Any]:
    return {"_source": {"id": pid}, "sort": [1.0]}


def response(organic: list[str], pinned: list[str], total: int) -> dict[str, Any]:
    return {
        "hits": {"total": {"value": total}, "hits": [hit(p) for p in organic]},
        "aggregations": {PINNED_AGG: {"hits": {"hits": {"hits": [hit(p) for p in pinned]}}}},
    }


def ids(answer: dict[str, Any]) -> list[str]:
    return [h["_source"]["id"] for h in answer["hits"]["hits"]]


MERCH = Merchandising(pins=[Pin(id="P0", position=0), Pin(id="P3", position=3)])


def test_pins_sit_at_their_positions_and_count_in_the_total() -> None:
    answer = place_pins(MERCH, 0, 5, response(["a", "b", "c", "d", "e"], ["P0", "P3"], 10))
    assert ids(answer) == ["P0", "a", "b", "P3", "c"]
    assert answer["hits"]["total"]["value"] == 12
    assert PINNED_AGG not in answer["aggregations"]


def test_a_later_page_skips_what_the_pins_before_it_displaced() -> None:
    start, size = organic_window(MERCH, 5, 5)
    assert (start, size) == (3, 7)
    # the organic ranks 3..9 of all 10; page 2 of everything is organic ranks 3..7
    organic = [f"o{i}" for i in range(start, start + size)]
    answer = place_pins(MERCH, 5, 5, response(organic, ["P0", "P3"], 10))
    assert ids(answer) == ["o3", "o4", "o5", "o6", "o7"]


def test_a_pin_that_does_not_match_takes_no_place() -> None:
    start, size = organic_window(MERCH, 5, 5)
    organic = [f"o{i}" for i in range(start, start + size)]
    answer = place_pins(MERCH, 5, 5, response(organic, ["P3"], 10))
    # only P3 matched: page 2 holds organic ranks 4..8
    assert ids(answer) == ["o4", "o5", "o6", "o7", "o8"]
    assert answer["hits"]["total"]["value"] == 11


def test_a_pin_beyond_the_end_comes_last() -> None:
    merch = Merchandising(pins=[Pin(id="P", position=50)])
    answer = place_pins(merch, 0, 10, response(["a", "b"], ["P"], 2))
    assert ids(answer) == ["a", "b", "P"]
