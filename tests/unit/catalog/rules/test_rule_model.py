"""The rule model: what a valid rule is, and which field paths bad ones are refused at."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from pydantic import ValidationError

from catalog.rules.model import MAX_USER_DATA_BYTES, RuleFields, RuleIn
from catalog.rules.patterns import normalised, words
from catalog.rules.storage import body_of, rule_of


def rule(**consequence: Any) -> dict[str, Any]:
    return {
        "conditions": [{"pattern": "hülle", "anchoring": "contains"}],
        "consequence": consequence,
    }


def locs(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    with pytest.raises(ValidationError) as caught:
        RuleIn.model_validate(body)
    return [tuple(e["loc"]) for e in caught.value.errors()]


def test_a_full_rule_validates() -> None:
    parsed = RuleIn.model_validate(
        {
            "objectID": "launch-17",
            "conditions": [{"pattern": "Hülle", "anchoring": "is", "context": "mobile"}],
            "validity": [{"from": "2026-01-01T00:00:00Z", "until": "2026-02-01T00:00:00Z"}],
            "consequence": {
                "promote": [
                    {"objectIDs": ["A", "B"], "position": 0},
                    {"objectID": "C", "position": 5},
                ],
                "hide": [{"objectID": "D"}],
                "boosts": [{"filter": {"field": "brand", "values": ["Acme"]}, "score": 5}],
                "filters": [{"field": "price", "lte": 100}],
                "edits": [{"type": "remove", "delete": "billig"}],
                "userData": {"banner": "launch"},
                "renderingContent": {"facetOrdering": {"facets": {"order": ["brand"]}}},
            },
        }
    )
    assert parsed.consequence.pins() == [("A", 0), ("B", 1), ("C", 5)]


def test_unknown_fields_are_refused_where_they_are() -> None:
    assert locs({**rule(), "priority": 1}) == [("priority",)]
    assert locs(rule(pin=[])) == [("consequence", "pin")]
    assert locs(rule(promote=[{"objectID": "A", "position": 0, "x": 1}])) == [
        ("consequence", "promote", 0, "x")
    ]


def test_two_pins_at_one_position_are_refused() -> None:
    body = rule(
        promote=[{"objectIDs": ["A", "B"], "position": 0}, {"objectID": "C", "position": 1}]
    )
    with pytest.raises(ValidationError, match="position 1 is pinned twice"):
        RuleIn.model_validate(body)


def test_a_window_ending_before_it_starts_is_refused() -> None:
    body = {
        **rule(),
        "validity": [{"from": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}],
    }
    assert locs(body) == [("validity", 0)]


def test_user_data_is_bounded() -> None:
    assert locs(rule(userData="x" * MAX_USER_DATA_BYTES)) == [("consequence", "userData")]


def test_patterns_are_bounded_in_words() -> None:
    body = {"conditions": [{"pattern": " ".join("w" * 11)}], "consequence": {}}
    assert locs(body) == [("conditions", 0, "pattern")]


def test_windows_need_time_zones() -> None:
    body = {
        **rule(),
        "validity": [{"from": "2026-01-01T00:00:00", "until": "2026-01-02T00:00:00Z"}],
    }
    assert locs(body) == [("validity", 0, "from")]


def test_normalisation_folds_case_and_punctuation() -> None:
    assert words("  iPhone-15 HÜLLE! ") == ("iphone", "15", "hülle")
    assert normalised("Straße") == "strasse"


def test_the_stored_body_reads_back_as_the_same_rule() -> None:
    sent = RuleIn.model_validate(
        {
            "objectID": "r1",
            "conditions": [{"pattern": "x"}],
            "validity": [{"from": "2026-01-01T00:00:00Z", "until": "2026-01-02T00:00:00Z"}],
            "consequence": {"userData": [[1, 2]], "promote": [{"objectID": "A", "position": 1}]},
        }
    )
    stored = {"_id": "r1", "body": body_of(sent)}
    assert "objectID" not in orjson.loads(stored["body"])
    assert rule_of(stored) == RuleFields.model_validate(sent.model_dump(exclude={"objectID"}))
