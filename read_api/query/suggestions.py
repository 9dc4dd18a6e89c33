"""Spelling suggestions (pure): a corrected query from words that occur in titles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalog.index_fields import TITLE_EN

SUGGESTION = "did_you_mean"
SUGGEST_FIELD = TITLE_EN  # folded but not decompounded: suggestions are whole words
MAX_CORRECTED_WORDS = 2


def suggest_clause(text: str) -> dict[str, Any]:
    """A phrase suggester whose suggestions are checked to find active products."""
    collate = {
        "bool": {
            "filter": [
                {"term": {"status": "active"}},
                {"match": {SUGGEST_FIELD: {"query": "{{suggestion}}", "operator": "and"}}},
            ]
        }
    }
    return {
        "text": text,
        SUGGESTION: {
            "phrase": {
                "field": SUGGEST_FIELD,
                "size": 1,
                "max_errors": MAX_CORRECTED_WORDS,
                "confidence": 0.0,
                "direct_generator": [
                    {"field": SUGGEST_FIELD, "suggest_mode": "always", "min_word_length": 3}
                ],
                "collate": {"query": {"source": collate}, "prune": False},  # keeps only hits
            }
        },
    }


def pick_suggestion(suggest: Mapping[str, Any] | None, text: str) -> str | None:
    """The best suggestion that finds products, if it differs from what was typed."""
    for entry in (suggest or {}).get(SUGGESTION, []):
        for option in entry.get("options", []):
            if option.get("collate_match", True) and option["text"] != text.strip().lower():
                return str(option["text"])
    return None
