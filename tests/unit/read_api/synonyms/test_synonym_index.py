"""The texts a search also looks for, and how they enter the query (pure)."""

from __future__ import annotations

import json
from typing import Any

from catalog.synonyms.model import SynonymFields
from read_api.cache.keys import search_key
from read_api.query.model import MAX_ALTERNATIVES, SearchQuery
from read_api.query.text import SYNONYM_BOOST, text_query
from read_api.synonyms.index import SynonymIndex


def two_way(*phrases: str) -> tuple[str, SynonymFields]:
    return "-".join(phrases), SynonymFields(synonyms=list(phrases))


def test_a_phrase_of_the_query_is_replaced_by_each_of_its_synonyms() -> None:
    index = SynonymIndex.of([two_way("handyhülle", "handytasche", "smartphone case")])
    assert index.alternatives("Schwarze HANDYHÜLLE") == [
        "schwarze handytasche",
        "schwarze smartphone case",
    ]
    assert index.alternatives("smartphone case rot") == ["handyhülle rot", "handytasche rot"]
    assert index.alternatives("smartphone") == []  # a part of a phrase is not the phrase


def test_one_way_sets_work_in_one_direction_only() -> None:
    one_way = SynonymFields(type="oneWaySynonym", input="iphone", synonyms=["apple"])
    index = SynonymIndex.of([("iphone", one_way)])
    assert index.alternatives("iphone kabel") == ["apple kabel"]
    assert index.alternatives("apple kabel") == []


def test_the_longest_phrase_at_a_position_comes_first_and_sets_add_up() -> None:
    index = SynonymIndex.of(
        [two_way("usb c", "typ c"), two_way("usb", "universal serial bus"), two_way("c", "cee")]
    )
    assert index.alternatives("usb c") == [
        "typ c",  # the two-word phrase at the first position
        "universal serial bus c",
        "usb cee",
    ]


def test_alternatives_are_bounded_whatever_the_sets() -> None:
    many = two_way("x", *[f"y{n}" for n in range(19)])
    index = SynonymIndex.of([many, two_way("z", "w")])
    assert len(index.alternatives("x z x z")) == MAX_ALTERNATIVES
    assert SynonymIndex.of([]).alternatives("x") == []


def _strict_ways(query: dict[str, Any]) -> list[dict[str, Any]]:
    must = query["function_score"]["query"]["bool"]["must"][0]
    ways: list[dict[str, Any]] = must["bool"]["should"]
    return ways


def test_each_alternative_is_matched_in_full_a_little_below_the_words_as_typed() -> None:
    plain = text_query("handyhülle", [])
    with_synonyms = text_query("handyhülle", [], alternatives=["handytasche"])
    added = [w for w in _strict_ways(with_synonyms) if w not in _strict_ways(plain)]
    assert added == [
        {
            "multi_match": {
                **_strict_ways(plain)[1]["multi_match"],
                "query": "handytasche",
                "boost": SYNONYM_BOOST,
            }
        }
    ]
    assert SYNONYM_BOOST < 1
    # no alternatives: the query is exactly what it was without synonym sets
    assert json.dumps(text_query("handyhülle", [], alternatives=[])) == json.dumps(plain)


def test_the_alternatives_are_part_of_the_query_and_so_of_its_cache_key() -> None:
    plain = SearchQuery(text="handyhülle")
    assert search_key(plain) != search_key(plain.model_copy(update={"alternatives": ["tasche"]}))


def test_a_sets_language_limits_it_to_searches_in_that_language() -> None:
    index = SynonymIndex.of(
        [
            ("de", SynonymFields(synonyms=["akku", "batterie"], language="de")),
            ("en", SynonymFields(synonyms=["cell", "battery"], language="en")),
            ("all", SynonymFields(synonyms=["usb c", "type c"])),
        ]
    )
    assert index.alternatives("akku") == ["batterie"]  # no language asked: every set
    assert index.alternatives("akku", frozenset({"de"})) == ["batterie"]
    assert index.alternatives("akku", frozenset({"en"})) == []
    assert index.alternatives("cell", frozenset({"en"})) == ["battery"]
    assert index.alternatives("usb c", frozenset({"en"})) == ["type c"]
