"""Search settings applied to a query (pure): stop words out, the default facet order in."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from catalog.search_settings.model import MAX_STOP_WORDS, SearchSettings
from read_api.query.model import Merchandising, SearchQuery
from read_api.search_settings.applying import with_settings, without_stop_words

STOP = frozenset({"günstig", "kaufen", "usb"})
ORDERING = {"facetOrdering": {"facets": {"order": ["brand"]}}}


@pytest.mark.parametrize(
    ("text", "searched"),
    [
        ("günstig hülle kaufen", "hülle"),
        ("Günstig  Hülle", "Hülle"),  # compared case-folded; the rest stays as typed
        ("günstig kaufen", "günstig kaufen"),  # nothing but stop words: searched as typed
        ("usb-c kabel", "usb-c kabel"),  # a token goes only when all its words are stop words
        ("kabel -", "kabel -"),
        ("", ""),
    ],
)
def test_stop_words_leave_the_query(text: str, searched: str) -> None:
    assert without_stop_words(text, STOP) == searched


def test_settings_change_the_query_only_where_they_say_something() -> None:
    query = SearchQuery(text="günstig hülle")
    assert with_settings(query, SearchSettings()) is query
    changed = with_settings(
        query,
        SearchSettings.model_validate(
            {"stopWords": {"de": ["GÜNSTIG"]}, "renderingContent": ORDERING}
        ),
    )
    assert changed.text == "hülle"
    assert changed.merchandising.facet_ordering == {
        "facets": {"order": ["brand"]},
        "values": {},
    }


def test_a_rules_facet_ordering_wins_over_the_default() -> None:
    ruled = SearchQuery(
        merchandising=Merchandising(facet_ordering={"facets": {"order": ["price"]}})
    )
    applied = with_settings(ruled, SearchSettings.model_validate({"renderingContent": ORDERING}))
    assert applied.merchandising.facet_ordering == {"facets": {"order": ["price"]}}


@pytest.mark.parametrize(
    "body",
    [
        {"stopWords": {"de": ["zwei worte"]}},
        {"stopWords": {"de": ["!!"]}},
        {"stopWords": {"de": ["x" * 51]}},
        {"stopWords": {"de": ["a"] * (MAX_STOP_WORDS + 1)}},
        {"stopWords": {"fr": ["le"]}},
        {"stopWords": ["günstig"]},
        {"ranking": ["typo"]},
    ],
)
def test_bad_settings_do_not_validate(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        SearchSettings.model_validate(body)


def test_a_search_drops_the_stop_words_of_its_languages_or_of_all() -> None:
    settings = SearchSettings.model_validate({"stopWords": {"de": ["günstig"], "en": ["cheap"]}})
    query = SearchQuery(text="günstig cheap case")
    assert with_settings(query, settings).text == "case"
    assert with_settings(query, settings, frozenset({"de"})).text == "cheap case"
    assert with_settings(query, settings, frozenset({"en"})).text == "günstig case"
