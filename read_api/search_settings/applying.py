"""The search settings applied to one search (pure): stop words out, the default facet order in."""

from __future__ import annotations

from catalog.languages import Language
from catalog.rules.patterns import words
from catalog.search_settings.model import SearchSettings
from read_api.query.model import SearchQuery


def _stop_word(token: str, stop: frozenset[str]) -> bool:
    found = words(token)  # "USB-C" is two words: a token goes when all of its words are stop words
    return bool(found) and set(found) <= stop


def without_stop_words(text: str, stop: frozenset[str]) -> str:
    """The text without its stop words (whitespace-separated, compared normalised).

    A query made of stop words only is searched as typed: removing them all
    would turn a search into browsing everything.
    """
    if not stop:
        return text
    kept = [token for token in text.split() if not _stop_word(token, stop)]
    return " ".join(kept) if kept else text


def with_settings(
    query: SearchQuery, settings: SearchSettings, languages: frozenset[Language] = frozenset()
) -> SearchQuery:
    """The query with the settings applied (the same object when they change nothing): the
    stop words of its languages (all when none are named)."""
    update: dict[str, object] = {}
    text = without_stop_words(query.text, settings.stop_words(languages))
    if text != query.text:
        update["text"] = text
    rendering = settings.renderingContent
    merch = query.merchandising
    if (
        rendering is not None
        and rendering.facetOrdering is not None
        and merch.facet_ordering is None
    ):
        ordering = rendering.facetOrdering.model_dump(mode="json", exclude_none=True)
        update["merchandising"] = merch.model_copy(update={"facet_ordering": ordering})
    return query.model_copy(update=update) if update else query
