"""Highlighting of matched words in hits (pure): which fields, which tags, how escaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from catalog.index_fields import (
    BRAND_TEXT,
    DESCRIPTION,
    DESCRIPTION_EN,
    TITLE,
    TITLE_AUTOCOMPLETE,
    TITLE_EN,
)
from read_api.query.model import Highlight

DESCRIPTION_FRAGMENT_CHARS = 160
_WHOLE: dict[str, Any] = {"number_of_fragments": 0}
_FRAGMENT: dict[str, Any] = {
    "fragment_size": DESCRIPTION_FRAGMENT_CHARS,
    "number_of_fragments": 1,
    "no_match_size": 0,
}
# public field -> the indexed variants it can be highlighted from, preferred first
HIGHLIGHTED: dict[str, tuple[str, ...]] = {
    "title": (TITLE, TITLE_EN, TITLE_AUTOCOMPLETE),
    "brand": (BRAND_TEXT,),
    "description": (DESCRIPTION, DESCRIPTION_EN),
}


def highlight_clause(highlight: Highlight, *, whole_raw: bool = False) -> dict[str, Any]:
    """The `highlight` section; `encoder: html` escapes the product text around the tags.

    `whole_raw` (the Algolia protocol): whole fields, unescaped, as Algolia
    answers; its clients escape the text themselves.
    """
    fields = {
        variant: dict(_FRAGMENT if name == "description" and not whole_raw else _WHOLE)
        for name, variants in HIGHLIGHTED.items()
        for variant in variants
    }
    return {
        "pre_tags": [highlight.pre_tag],
        "post_tags": [highlight.post_tag],
        "encoder": "default" if whole_raw else "html",
        "fields": fields,
    }


def pick_highlights(found: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """One highlighted text per public field, from the first variant that matched."""
    picked: dict[str, str] = {}
    for name, variants in HIGHLIGHTED.items():
        for variant in variants:
            fragments = found.get(variant)
            if fragments:
                picked[name] = fragments[0]
                break
    return picked
