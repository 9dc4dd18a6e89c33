"""Typing into facet values: folding, include patterns and marking."""

from __future__ import annotations

import re

from read_api.query.prefixes import (
    fold,
    folded_prefix_pattern,
    mark_prefix,
    raw_prefix_pattern,
    word_prefix_at,
)


def _lucene_to_python(pattern: str) -> re.Pattern[str]:
    # the patterns use only syntax both dialects read alike: groups, classes, escapes
    return re.compile(pattern)


def test_folding_matches_the_index_normalizer() -> None:
    assert fold("Weiß") == "weiss"
    assert fold("Hülle") == "hulle"
    assert fold("CAFÉ") == "cafe"


def test_raw_patterns_match_word_starts_in_any_case_and_with_umlauts() -> None:
    pattern = _lucene_to_python(raw_prefix_pattern("hul"))
    assert pattern.fullmatch("Handyzubehör > Hüllen")
    assert pattern.fullmatch("hülle")
    assert not pattern.fullmatch("Schulle")  # not at a word start


def test_folded_patterns_escape_what_was_typed() -> None:
    pattern = folded_prefix_pattern("a.b*")
    assert pattern.endswith("a\\.b\\*.*")
    assert _lucene_to_python(pattern).fullmatch("x a.b*c")
    assert not _lucene_to_python(pattern).fullmatch("x axbc")


def test_marking_escapes_html_around_the_tags() -> None:
    assert word_prefix_at("iPhone 15 Pro", "pro") == 10
    assert mark_prefix("Akku <Pro>", "akk", "<b>", "</b>") == "<b>Akk</b>u &lt;Pro&gt;"
    assert mark_prefix("Samsung", "xy", "<b>", "</b>") == "Samsung"
