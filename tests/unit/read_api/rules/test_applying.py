"""Consequences of fired rules on the internal query, and on the Elasticsearch body."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from catalog.rules.model import RuleFields
from read_api.query.builder import search_body
from read_api.query.model import SearchQuery, TermsFilter
from read_api.query.pins import PINNED_AGG
from read_api.rules.applying import edited, with_rules
from read_api.rules.compiled import compile_rule
from read_api.rules.matching import RuleIndex

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def index_of(*rules: tuple[str, dict[str, Any]]) -> RuleIndex:
    made = []
    for rule_id, consequence in rules:
        body = {
            "conditions": [{"pattern": "hülle", "anchoring": "contains"}],
            "consequence": consequence,
        }
        compiled = compile_rule(rule_id, RuleFields.model_validate(body))
        assert compiled is not None
        made.append(compiled)
    return RuleIndex.of(made)


def test_no_rule_fired_leaves_the_query_as_it_was() -> None:
    query = SearchQuery(text="kabel")
    assert with_rules(query, index_of(("a", {"hide": [{"objectID": "X"}]})), (), NOW) is query


def test_first_rule_wins_a_position_and_hidden_ids_are_never_pinned() -> None:
    index = index_of(
        ("a", {"promote": [{"objectID": "P1", "position": 0}], "userData": {"b": 1}}),
        ("b", {"promote": [{"objectID": "P2", "position": 0}, {"objectID": "H", "position": 2}]}),
        ("c", {"hide": [{"objectID": "H"}], "userData": [2]}),
    )
    merch = with_rules(SearchQuery(text="Hülle"), index, (), NOW).merchandising
    assert [(p.id, p.position) for p in merch.pins] == [("P1", 0)]
    assert merch.hidden == ["H"]
    assert merch.applied == ["a", "b", "c"]
    assert merch.user_data == [{"b": 1}, [2]]


def test_filters_are_anded_and_edits_change_the_text() -> None:
    index = index_of(
        (
            "f",
            {
                "filters": [{"field": "brand", "values": ["Acme"]}],
                "edits": [{"type": "replace", "delete": "hülle", "insert": "case"}],
            },
        )
    )
    query = with_rules(SearchQuery(text="schwarze Hülle"), index, (), NOW)
    assert query.text == "schwarze case"
    assert query.filters == [TermsFilter(field="brand", values=["Acme"])]
    removal = RuleFields.model_validate(
        {"consequence": {"edits": [{"type": "remove", "delete": "Billig"}]}}
    ).consequence.edits
    assert edited("billig hülle billig", removal) == "hülle"


def test_a_rule_filtering_on_an_unknown_field_is_left_out() -> None:
    body = {"consequence": {"filters": [{"field": "nosuchfield", "values": ["x"]}]}}
    assert compile_rule("bad", RuleFields.model_validate(body)) is None


def test_the_body_hides_boosts_and_asks_for_pins() -> None:
    index = index_of(
        (
            "all",
            {
                "promote": [{"objectID": "P", "position": 3}],
                "hide": [{"objectID": "H"}],
                "boosts": [
                    {"filter": {"field": "brand", "values": ["Acme"]}, "score": 4},
                    {"filter": {"field": "brand", "values": ["Hama"]}, "score": -1},
                ],
            },
        )
    )
    query = with_rules(SearchQuery(text="hülle", paging={"offset": 20, "size": 10}), index, (), NOW)
    body = search_body(query)
    function_score = body["query"]["function_score"]
    assert [f["weight"] for f in function_score["functions"]] == [5.0, 0.5]
    # the boosts wrap the ranked query, whose filters keep the hidden id out
    ranked = function_score["query"]["function_score"]["query"]
    assert {"bool": {"must_not": [{"terms": {"id": ["H"]}}]}} in ranked["bool"]["filter"]
    assert body["post_filter"] == {
        "bool": {"filter": [{"bool": {"must_not": [{"terms": {"id": ["P"]}}]}}]}
    }
    assert body["aggs"][PINNED_AGG]["filter"] == {"bool": {"filter": [{"terms": {"id": ["P"]}}]}}
    # one pin could sit before offset 20: the organic window starts one earlier
    assert (body["from"], body["size"]) == (19, 11)


def test_at_most_ten_rules_apply_to_one_search() -> None:
    index = index_of(*((f"r{n:02d}", {"userData": n}) for n in range(15)))
    merch = with_rules(SearchQuery(text="hülle"), index, (), NOW).merchandising
    assert merch.applied == [f"r{n:02d}" for n in range(10)]
    assert merch.user_data == list(range(10))
