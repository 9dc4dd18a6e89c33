"""The text query as data: one clause tree, strict first, cheap bonuses, identifiers."""

from __future__ import annotations

import json
from typing import Any

from read_api.query.text import (
    CONCATENATED_MAX_PAIRS,
    EXACT_VALUE_BOOST,
    concatenations,
    exact_value_clause,
    identifier_clause,
    text_query,
    value_phrases,
)


def _inner(query: dict[str, Any]) -> dict[str, Any]:
    inner: dict[str, Any] = query["function_score"]["query"]["bool"]
    return inner


def test_the_clause_tree_is_sent_once() -> None:
    body = json.dumps(text_query("schutzfolie iphone 15", []))
    # the strict cross-fields match appears once (in `must`), not again inside a bonus
    assert body.count('"cross_fields"') == len(concatenations("schutzfolie iphone 15")) + 1
    assert "fuzziness" not in body  # typos only in the second stage


def test_without_text_everything_inside_the_filters_matches() -> None:
    query = _inner(text_query("  ", [{"term": {"brand": "Acme"}}]))
    assert query == {"filter": [{"term": {"brand": "Acme"}}]}


def test_adjacent_words_are_also_tried_joined() -> None:
    assert concatenations("smart watch") == ["smartwatch"]
    assert concatenations("usb c kabel") == ["usbc kabel", "usb ckabel"]
    assert concatenations("hülle") == []
    long = " ".join(f"w{i}" for i in range(10))
    assert len(concatenations(long)) == CONCATENATED_MAX_PAIRS
    assert concatenations("usb-c kabel") == []  # a hyphenated word is joined already


def test_identifiers_are_looked_for_as_runs_of_words() -> None:
    clause = identifier_clause("brother tn-2110 toner")
    runs = clause["constant_score"]["filter"]["terms"]["identifiers"]
    assert "tn-2110" in runs
    assert "brother tn-2110 toner" in runs


def test_only_multi_word_attribute_values_get_the_exact_value_bonus() -> None:
    assert exact_value_clause("ssd") is None
    clause = exact_value_clause("hülle iphone 15")
    assert clause is not None
    assert clause["nested"]["boost"] == EXACT_VALUE_BOOST
    assert value_phrases("hülle iphone 15") == ["hülle iphone", "hülle iphone 15", "iphone 15"]
