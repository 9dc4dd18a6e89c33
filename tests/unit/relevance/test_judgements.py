"""The judged query set: grades follow from product fields by rule, and the set is sound."""

from __future__ import annotations

from typing import Any

from tests.relevance.judgements import EXACT_EAN, EXACT_ID, JUDGEMENTS, Judgement
from tests.relevance.rules import Attr, AttrAtLeast, Fits, FitsLine, InCategory, Kind

CASE: dict[str, Any] = {
    "id": "X-CASE-1",
    "title": "Spigen Ultra Hybrid Hülle für iPhone 15 Pro, transparent",
    "brand": "Spigen",
    "category_paths": ["Handyzubehör > Hüllen > iPhone Hüllen", "Angebote > Hüllen"],
    "attributes": {"compatible_devices": ["iPhone 15 Pro"], "color": "transparent",
                   "magsafe": False, "weight_g": 30},
}  # fmt: skip
CHARGER: dict[str, Any] = {
    "id": "X-CHG-1",
    "title": "Anker Nano 30W USB-C Netzteil, weiß",
    "brand": "Anker",
    "category_paths": ["Handyzubehör > Ladegeräte > USB-C Netzteile"],
    "attributes": {"power_w": 30, "connector": ["USB-C"], "ports": 1},
}


def test_the_grade_is_zero_unless_required_then_one_plus_bonuses() -> None:
    judgement = Judgement(
        "hülle iphone 15", "de", (Kind("case"),), (FitsLine("iPhone 15"), Fits("iPhone 15"))
    )
    assert judgement.grade(CHARGER) == 0
    assert judgement.grade(CASE) == 2  # a case of the line, not for the exact device
    exact = {**CASE, "attributes": {**CASE["attributes"], "compatible_devices": ["iPhone 15"]}}
    assert judgement.grade(exact) == 3
    other = {**CASE, "attributes": {"compatible_devices": ["iPhone 16"]}}
    assert judgement.grade(other) == 1


def test_device_lines_end_at_a_word() -> None:
    assert FitsLine("iPhone 15")(CASE)
    assert not FitsLine("iPhone 1")(CASE)
    plus = {"attributes": {"compatible_devices": ["Samsung Galaxy S24+"]}}
    assert FitsLine("Samsung Galaxy S24")(plus)
    assert not Fits("Samsung Galaxy S24")(plus)


def test_kinds_and_categories_read_the_paths() -> None:
    assert Kind("case")(CASE)
    assert not Kind("case")(CHARGER)
    assert Kind("charger")(CHARGER)
    assert InCategory("USB-C Netzteile")(CHARGER)
    assert not InCategory("Netzteile")(CHARGER)  # whole names, not substrings


def test_attribute_rules_compare_values_and_lists_strictly() -> None:
    assert Attr("connector", "USB-C")(CHARGER)
    assert Attr("color", "transparent")(CASE)
    assert not Attr("magsafe", True)(CASE)
    assert not Attr("ports", True)(CHARGER)  # 1 is not True
    assert AttrAtLeast("power_w", 30)(CHARGER)
    assert not AttrAtLeast("power_w", 31)(CHARGER)
    assert not AttrAtLeast("magsafe", 0)(CASE)  # booleans are not numbers here
    assert not Attr("missing", "x")(CASE)


def test_the_set_has_at_least_30_queries_in_both_languages() -> None:
    queries = [j.query for j in JUDGEMENTS]
    assert len(queries) >= 30
    assert len(set(queries)) == len(queries)
    languages = {j.lang for j in JUDGEMENTS}
    assert languages == {"de", "en"}
    assert sum(j.lang == "en" for j in JUDGEMENTS) >= 8
    assert {EXACT_ID, EXACT_EAN} <= set(queries)


def test_every_judgement_can_reach_grade_three_at_most() -> None:
    for judgement in JUDGEMENTS:
        assert judgement.required, judgement.query
        assert len(judgement.bonus) <= 2, judgement.query
