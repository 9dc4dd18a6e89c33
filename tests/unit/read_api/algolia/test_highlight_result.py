"""`_highlightResult`: marks as Elasticsearch set them, match levels, matched words, nesting."""

from __future__ import annotations

from read_api.algolia.highlight_result import entry, highlight_result, matched_words

PRE, POST = "__ais-highlight__", "__/ais-highlight__"


def test_all_words_marked_is_a_full_match() -> None:
    marked = f"{PRE}Spigen{POST} {PRE}Hülle{POST} für iPhone"
    found = entry("Spigen Hülle für iPhone", marked, ["spigen", "hülle"], PRE, POST)
    assert found == {
        "value": marked,
        "matchLevel": "full",
        "matchedWords": ["spigen", "hülle"],
        "fullyHighlighted": False,
    }


def test_some_words_marked_is_partial_and_a_whole_marked_value_is_fully_highlighted() -> None:
    partial = entry("Acme", f"{PRE}Acme{POST}", ["acme", "kabel"], PRE, POST)
    assert partial["matchLevel"] == "partial"
    assert partial["matchedWords"] == ["acme"]
    assert partial["fullyHighlighted"] is False
    whole = entry("Acme", f"{PRE}Acme{POST}", ["acm"], PRE, POST)
    assert whole["matchLevel"] == "full"
    assert whole["fullyHighlighted"] is True


def test_unmarked_values_are_returned_as_they_are() -> None:
    assert entry("A & B", None, ["x"], PRE, POST) == {
        "value": "A & B",
        "matchLevel": "none",
        "matchedWords": [],
    }


def test_marks_without_a_word_stand_for_the_words_left() -> None:
    # a compound part or a typo: the mark holds no query word, but the field matched
    assert matched_words(["hülle"], ["Klapphülle"]) == ["hülle"]
    assert matched_words(["hulle"], ["Hülle"]) == ["hulle"]
    assert matched_words(["kabel", "ladgerät"], ["Kabel", "Ladegerät"]) == ["kabel", "ladgerät"]
    assert matched_words(["kabel", "rot"], ["Kabel"]) == ["kabel"]


def test_the_result_covers_the_default_attributes_and_nests_attributes() -> None:
    record = {
        "objectID": "A",
        "title": "USB Kabel",
        "brand": "Acme",
        "attributes": {"color": "rot", "devices": ["iPhone 15", "Pixel 8"], "weight_g": 35},
        "price": 5.0,
    }
    result = highlight_result(record, {"title": "USB <b>Kabel</b>"}, "kabel", "<b>", "</b>")
    assert set(result) == {"title", "brand", "attributes"}  # no description in this record
    assert result["title"]["matchLevel"] == "full"
    assert result["brand"]["matchLevel"] == "none"
    assert result["attributes"]["color"] == {
        "value": "rot",
        "matchLevel": "none",
        "matchedWords": [],
    }
    assert [e["value"] for e in result["attributes"]["devices"]] == ["iPhone 15", "Pixel 8"]
    assert "weight_g" not in result["attributes"]  # numbers are not highlighted


def test_the_attributes_asked_for_only() -> None:
    record = {"objectID": "A", "title": "Kabel", "brand": "Acme", "attributes": {"color": "rot"}}
    result = highlight_result(
        record, {}, "x", "<em>", "</em>", ["title", "attributes.color", "price"]
    )
    assert set(result) == {"title", "attributes"}
    assert result["attributes"] == {
        "color": {"value": "rot", "matchLevel": "none", "matchedWords": []}
    }
