"""The languages a shop's searches are in: the index analyses German and English text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)


def known_languages(codes: Iterable[str]) -> frozenset[Language]:
    """The known languages among codes clients send (`de`, `en-US`, `EN`); others ignored."""
    found: set[Language] = set()
    for code in codes:
        base = code.strip().lower().split("-", 1)[0]
        for language in LANGUAGES:
            if base == language:
                found.add(language)
    return frozenset(found)
