"""Synonym sets at the edge: what a set must say, its bounds, and what stands for what."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from catalog.synonyms.model import MAX_PHRASE_WORDS, MAX_PHRASES, SynonymFields, SynonymIn
from catalog.synonyms.storage import synonym_of
from catalog.versioned_docs import body_text


def invalid(body: dict[str, Any]) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        SynonymIn.model_validate(body)
    return [e["loc"] for e in caught.value.errors()]


def test_a_two_way_set_replaces_each_phrase_by_the_others() -> None:
    fields = SynonymFields(synonyms=["Handyhülle", "Handytasche", "Smartphone-Case"])
    assert fields.replacements() == {
        ("handyhülle",): {("handytasche",), ("smartphone", "case")},
        ("handytasche",): {("handyhülle",), ("smartphone", "case")},
        ("smartphone", "case"): {("handyhülle",), ("handytasche",)},
    }


def test_a_one_way_set_replaces_its_input_only() -> None:
    fields = SynonymFields(type="oneWaySynonym", input="iPhone", synonyms=["Apple", "iphone"])
    assert fields.replacements() == {("iphone",): {("apple",)}}


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"synonyms": ["hülle"]}, ()),  # one phrase says nothing
        ({"synonyms": ["Hülle", "HÜLLE!"]}, ()),  # the same phrase twice, normalised
        ({"synonyms": ["a", "b"], "input": "c"}, ()),  # an input belongs to one-way sets
        ({"type": "oneWaySynonym", "synonyms": ["a"]}, ()),  # no input
        ({"type": "oneWaySynonym", "input": "a", "synonyms": ["A"]}, ()),  # only itself
        ({"synonyms": ["...", "b"]}, ()),  # no letters or digits
        ({"synonyms": ["a b c d e f", "b"]}, ()),  # more words than a phrase may have
        ({"synonyms": ["a", "b"], "words": ["x"]}, ("words",)),  # unknown field
        ({"synonyms": ["a", "x" * 101]}, ("synonyms", 1)),  # a phrase too long
        ({"synonyms": ["a"] * (MAX_PHRASES + 1)}, ("synonyms",)),  # too many phrases
        ({"synonyms": ["a", "\ud800"]}, ("synonyms", 1)),  # not storable
        ({"type": "alternative", "synonyms": ["a", "b"]}, ("type",)),
        ({"synonyms": ["a", "b"], "objectID": "bad id!"}, ("objectID",)),
    ],
)
def test_a_set_that_says_nothing_or_too_much_is_refused(
    body: dict[str, Any], where: tuple[Any, ...]
) -> None:
    assert where in [tuple(loc) for loc in invalid(body)]


def test_phrases_of_the_most_words_allowed_pass() -> None:
    longest = " ".join(["wort"] * MAX_PHRASE_WORDS)
    assert SynonymFields(synonyms=[longest, "kurz"]).replacements()


def test_a_stored_set_reads_back_the_same() -> None:
    fields = SynonymIn(objectID="s1", type="oneWaySynonym", input="iphone", synonyms=["apple"])
    doc = {"_id": "s1", "body": body_text(fields), "version": 1}
    assert "objectID" not in body_text(fields)
    assert synonym_of(doc) == SynonymFields(
        type="oneWaySynonym", input="iphone", synonyms=["apple"]
    )
