"""Which rules fire: anchorings, contexts, refinements, windows, and the cost of many rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from catalog.rules.model import RuleFields
from read_api.query.model import TermsFilter
from read_api.rules.compiled import CompiledRule, compile_rule
from read_api.rules.matching import RuleIndex, refinements_of

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def compiled(rule_id: str, *conditions: dict[str, Any], **fields: Any) -> CompiledRule:
    body = {"conditions": list(conditions), "consequence": {}, **fields}
    made = compile_rule(rule_id, RuleFields.model_validate(body))
    assert made is not None
    return made


def fired(
    index: RuleIndex, text: str, contexts: tuple[str, ...] = (), chosen: Any = frozenset()
) -> list[str]:
    return [rule.id for rule in index.matching(text, contexts, chosen, NOW)]


def test_anchorings_compare_whole_normalised_words() -> None:
    index = RuleIndex.of(
        [
            compiled("is", {"pattern": "iPhone Hülle", "anchoring": "is"}),
            compiled("starts", {"pattern": "iphone", "anchoring": "startsWith"}),
            compiled("ends", {"pattern": "hülle", "anchoring": "endsWith"}),
            compiled("contains", {"pattern": "15 pro", "anchoring": "contains"}),
        ]
    )
    # most specific first (is, then startsWith/endsWith), then by objectID
    assert fired(index, "IPHONE  hülle!") == ["is", "ends", "starts"]
    assert fired(index, "iphone 15 pro max") == ["starts", "contains"]
    assert fired(index, "iphon") == []
    assert fired(index, "apple iphone") == []


def test_the_empty_pattern_is_the_empty_query() -> None:
    index = RuleIndex.of([compiled("browse", {"pattern": "", "anchoring": "is"})])
    assert fired(index, "") == ["browse"]
    assert fired(index, "kabel") == []


def test_a_context_only_rule_fires_only_with_its_context() -> None:
    index = RuleIndex.of([compiled("ctx", {"context": "landing-bf"})])
    assert fired(index, "anything") == []
    assert fired(index, "anything", ("landing-bf",)) == ["ctx"]


def test_refinements_must_all_be_chosen() -> None:
    index = RuleIndex.of([compiled("acme", {"refinements": [{"field": "brand", "value": "Acme"}]})])
    acme = refinements_of([TermsFilter(field="brand", values=["acme", "Hama"])])
    excluded = refinements_of([TermsFilter(field="brand", values=["Acme"], exclude=True)])
    assert fired(index, "x", chosen=acme) == ["acme"]
    assert fired(index, "x", chosen=excluded) == []


def test_rules_outside_their_window_or_disabled_do_not_fire() -> None:
    window = {
        "from": (NOW + timedelta(days=1)).isoformat(),
        "until": (NOW + timedelta(days=2)).isoformat(),
    }
    index = RuleIndex.of(
        [
            compiled("later", {"pattern": "x"}, validity=[window]),
            compiled("off", {"pattern": "x"}, enabled=False),
            compiled("on", {"pattern": "x"}),
        ]
    )
    assert fired(index, "x") == ["on"]
    assert index.next_change(NOW) == NOW + timedelta(days=1)


def test_lookups_do_not_depend_on_the_number_of_rules() -> None:
    rules = [
        compiled(f"r{i:04d}", {"pattern": f"word{i} thing", "anchoring": "contains"})
        for i in range(1000)
    ]
    index = RuleIndex.of(rules)
    assert fired(index, "a word517 thing here") == ["r0517"]
    assert index.longest == 2


def test_rules_with_a_context_apply_before_generic_ones() -> None:
    index = RuleIndex.of(
        [
            compiled("a-anything", {}),
            compiled("b-contains", {"pattern": "x", "anchoring": "contains"}),
            compiled("c-context", {"context": "landing"}),
            compiled("d-both", {"context": "nope"}, {"pattern": "x"}),
        ]
    )
    assert fired(index, "x", ("landing",)) == ["c-context", "d-both", "b-contains", "a-anything"]
