"""A synonym set as editors send it (Algolia's synonym objects as the guide), checked at the edge.

- `synonym` (two-way): every phrase of `synonyms` also finds the others
  ("handyhülle", "handytasche", "smartphone case").
- `oneWaySynonym`: `input` also finds each of `synonyms`, not the reverse
  ("iphone" finds "apple"; "apple" does not find every iPhone).
Phrases are compared as normalised words (catalog.rules.patterns: NFKC,
case-folded, split on anything but letters and digits), so "USB-C" and
"usb c" are the same phrase. Every list and text is bounded, and a set must
say something: two different phrases at least.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from catalog.languages import Language
from catalog.products.model import ID_PATTERN, Unicode
from catalog.rules.patterns import words

MAX_SYNONYM_SETS = 2000
MAX_PHRASES = 20
MAX_PHRASE_CHARS = 100
MAX_PHRASE_WORDS = 5

SynonymId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Phrase = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PHRASE_CHARS), Unicode]
SynonymType = Literal["synonym", "oneWaySynonym"]


def phrase_words(phrase: str) -> tuple[str, ...]:
    """A phrase's normalised words, as queries are compared with it."""
    return words(phrase)


class SynonymFields(BaseModel):
    """Everything of a synonym set but its id and server-managed fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: SynonymType = "synonym"
    synonyms: Annotated[list[Phrase], Field(min_length=1, max_length=MAX_PHRASES)]
    input: Phrase | None = None
    language: Language | None = Field(
        None, description="searches in this language only (`queryLanguages`, `lang`); none: all"
    )

    @model_validator(mode="after")
    def _meaningful(self) -> SynonymFields:
        phrases = [*self.synonyms, *([self.input] if self.input is not None else [])]
        for phrase in phrases:
            found = phrase_words(phrase)
            if not found:
                raise ValueError(f"{phrase!r} has no letters or digits")
            if len(found) > MAX_PHRASE_WORDS:
                raise ValueError(f"{phrase!r} has more than {MAX_PHRASE_WORDS} words")
        if self.type == "synonym":
            if self.input is not None:
                raise ValueError("a two-way synonym set has no input; use type oneWaySynonym")
            if len({phrase_words(p) for p in self.synonyms}) < 2:
                raise ValueError("a two-way synonym set needs two different phrases")
        else:
            if self.input is None:
                raise ValueError("a oneWaySynonym needs an input")
            if {phrase_words(p) for p in self.synonyms} <= {phrase_words(self.input)}:
                raise ValueError("a oneWaySynonym needs a synonym other than its input")
        return self

    def replacements(self) -> dict[tuple[str, ...], set[tuple[str, ...]]]:
        """Which phrase (normalised words) may stand for which others."""
        targets = {phrase_words(p) for p in self.synonyms}
        if self.type == "oneWaySynonym":
            assert self.input is not None
            source = phrase_words(self.input)
            return {source: targets - {source}}
        return {phrase: targets - {phrase} for phrase in targets}


class SynonymIn(SynonymFields):
    """A synonym set as created (POST) or replaced (PUT; the id comes from the path)."""

    objectID: SynonymId | None = None
