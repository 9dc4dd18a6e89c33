"""The search settings of the products index as editors send them, checked at the edge.

Named as Algolia names them (`stopWords` is ours: Algolia only offers its own
lists). Both apply at query time, live, with no reindex (docs/merchandising.md):
- `stopWords`: per language, words dropped from a query before it is
  searched, unless it has no other words ("günstig hülle kaufen" searches
  "hülle"); for words shoppers add that no product says. Compared as
  normalised words. A search drops the words of its languages
  (`queryLanguages`, `lang`), of every language when it names none.
- `renderingContent.facetOrdering`: the facet order every Algolia answer
  carries (InstantSearch's dynamicWidgets), unless a query rule gives one.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from catalog.languages import LANGUAGES, Language
from catalog.products.model import Unicode
from catalog.rules.model import RenderingContent
from catalog.rules.patterns import words

MAX_STOP_WORDS = 500
MAX_STOP_WORD_CHARS = 50
StopWord = Annotated[str, StringConstraints(min_length=1, max_length=MAX_STOP_WORD_CHARS), Unicode]


def _one_word_each(value: list[str]) -> list[str]:
    for index, word in enumerate(value):
        if len(words(word)) != 1:
            raise ValueError(f"item {index}: {word!r} is not one word of letters or digits")
    return value


StopWords = Annotated[
    list[StopWord], Field(max_length=MAX_STOP_WORDS), AfterValidator(_one_word_each)
]


class SearchSettings(BaseModel):
    """The editable settings of the products index."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stopWords: dict[Language, StopWords] = {}
    renderingContent: RenderingContent | None = None

    def stop_words(self, languages: frozenset[Language] = frozenset()) -> frozenset[str]:
        """The stop words of these languages (none given: of all), normalised as query
        words are."""
        chosen = languages or frozenset(LANGUAGES)
        return frozenset(
            words(word)[0]
            for language, listed in self.stopWords.items()
            if language in chosen
            for word in listed
        )
