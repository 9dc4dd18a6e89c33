"""Full-text matching and ranking (pure): which products match words, and in what order.

A search runs in up to two stages, each one request:

- **strict**: every word must occur (across the fields, stemmed, with synonyms;
  or every word of a text the live synonym sets make of it, read_api/synonyms),
  or two adjacent words written as one ("smart watch" finds "smartwatch"), or the
  title has words starting with every typed word (the last one usually being
  typed still). An exact identifier (product id, model number, EAN, SKU) comes
  first whatever else matches.
- only when the strict stage found fewer than `STRICT_MIN_HITS`, a second one:
  **tolerant** adds typos (fuzzy terms), the parts of a German compound the
  shopper typed ("schnellladegerät"), and, from three words on, all words but
  one; **relaxed**, when the strict stage found nothing at all, also lets one
  of two words be missing. Strict matches still rank first in both.

So most searches pay for no fuzzy expansion at all. Bonuses that only order
the matches: the words together in the title (proximity), a multi-word attribute
value named in full ("iphone 15" is the device iPhone 15), in stock and rating.
Every weight is named here, and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from catalog.index_fields import (
    ATTRS_KW,
    ATTRS_KW_VALUE,
    ATTRS_TEXT,
    BRAND_TEXT,
    CATEGORY_TEXT,
    DESCRIPTION,
    DESCRIPTION_EN,
    IDENTIFIERS,
    IN_STOCK,
    RATING,
    TITLE,
    TITLE_AUTOCOMPLETE,
    TITLE_EN,
)

Clause = dict[str, Any]
Stage = Literal["strict", "tolerant", "relaxed"]

# field weights: title > brand > category > attributes > description
TITLE_BOOST = 5.0
TITLE_EN_BOOST = 3.0
BRAND_BOOST = 4.0
CATEGORY_BOOST = 2.0
ATTRIBUTE_BOOST = 0.75
DESCRIPTION_BOOST = 1.0
DESCRIPTION_EN_BOOST = 0.5
PREFIX_BOOST = 2.0  # as-you-type matches on title word prefixes
PHRASE_BOOST = 1.0  # the words close together in the title, in order
PHRASE_SLOP = 2
IDENTIFIER_BOOST = 1000.0  # an exact product id, model number or EAN comes first
# two adjacent words written as one: "smart watch" also finds "Smartwatch"
CONCATENATED_BOOST = 0.8
CONCATENATED_MAX_PAIRS = 3  # pairs of a long query tried: bounds the clauses sent
# an attribute value of two or more words typed in full: "iphone 15" is the
# device iPhone 15, which "iPhone 15 Pro" only contains. Single words are left
# out: "ssd" or "laser" as a value (a notebook's storage, a printer's technology)
# says little about what the product is.
EXACT_VALUE_BOOST = 40.0
EXACT_VALUE_MIN_WORDS = 2
EXACT_VALUE_MAX_WORDS = 4  # the longest value looked for, in words
RUN_QUERY_WORDS = 12  # words of a long query looked at for values and identifiers: bounds the terms
IDENTIFIER_MAX_WORDS = 3  # identifiers are looked for as runs of up to this many words
# a run of words shorter than the whole text counts only if it looks like a
# part number: a digit and this many characters ("tn-2110", not the "10" of "windows 10")
IDENTIFIER_MIN_LENGTH = 4
# fallbacks of the tolerant stage, far below a full match so they only fill what full matches leave
COMPOUND_BOOST = 0.2
RELAXED_BOOST = 0.2
RELAXED_MINIMUM = "2<-1"  # from three words on, one may be missing ("2m", "to")
NOTHING_FOUND_MINIMUM = "1<-1"  # when nothing matched every word: from two words on
FUZZY_BOOST = 0.5
# a text the synonym sets made of the query ("handytasche" for "handyhülle"):
# a full match of it ranks a little below a full match of the words as typed
SYNONYM_BOOST = 0.9
# the tolerant stage runs when the strict one found fewer hits than this
STRICT_MIN_HITS = 10

# no typos under 4 letters ("usb" must not find "usa"), one up to 7, two from 8
FUZZINESS = "AUTO:4,8"
FUZZY_PREFIX_LENGTH = 1  # the first letter is rarely the typo, and it keeps expansion cheap
FUZZY_MAX_EXPANSIONS = 50

# gentle ranking signals: a score multiplier between 1.0 and 1.2, so they order
# near-equal matches but never lift a weaker match over a clearly better one
IN_STOCK_BONUS = 0.1
RATING_BONUS_PER_STAR = 0.02

# the index analyzer of the German fields: it splits compounds into known parts
COMPOUND_ANALYZER = "text_de"

TEXT_FIELDS: tuple[tuple[str, float], ...] = (
    (TITLE, TITLE_BOOST),
    (TITLE_EN, TITLE_EN_BOOST),
    (BRAND_TEXT, BRAND_BOOST),
    (CATEGORY_TEXT, CATEGORY_BOOST),
    (ATTRS_TEXT, ATTRIBUTE_BOOST),
    (DESCRIPTION, DESCRIPTION_BOOST),
    (DESCRIPTION_EN, DESCRIPTION_EN_BOOST),
)
_GERMAN_FIELDS = (TITLE, BRAND_TEXT, CATEGORY_TEXT, ATTRS_TEXT, DESCRIPTION)
_WORD = re.compile(r"\w+")


def _fields(names: tuple[str, ...] | None = None) -> list[str]:
    return [f"{name}^{boost:g}" for name, boost in TEXT_FIELDS if names is None or name in names]


def _cross_fields(text: str, **options: Any) -> Clause:
    return {
        "multi_match": {
            "query": text,
            "type": "cross_fields",
            "fields": _fields(),
            "operator": "and",
            **options,
        }
    }


def word_runs(text: str, shortest: int, longest: int) -> list[str]:
    """Every run of `shortest`..`longest` consecutive words of the text (its first words only)."""
    words = text.split()[:RUN_QUERY_WORDS]
    runs = {
        " ".join(words[start : start + size])
        for size in range(shortest, longest + 1)
        for start in range(len(words) - size + 1)
    }
    return sorted(runs)


def concatenations(text: str) -> list[str]:
    """The text with one pair of adjacent words joined, for the first few pairs."""
    words = text.split()
    joined = []
    for i in range(min(len(words) - 1, CONCATENATED_MAX_PAIRS)):
        left, right = words[i], words[i + 1]
        if _WORD.fullmatch(left) and _WORD.fullmatch(right):
            joined.append(" ".join([*words[:i], left + right, *words[i + 2 :]]))
    return joined


def identifier_runs(text: str) -> list[str]:
    """The text itself and the runs of its words that look like part numbers or EANs."""
    whole = text.strip()
    runs = [
        run
        for run in word_runs(whole, 1, IDENTIFIER_MAX_WORDS)
        if len(run) >= IDENTIFIER_MIN_LENGTH and any(c.isdigit() for c in run)
    ]
    return sorted({whole, *runs})


def identifier_clause(text: str) -> Clause:
    """Products whose id, model number or EAN is the text or a run of its words."""
    runs = identifier_runs(text)
    named = {"terms": {IDENTIFIERS: runs}}
    return {"constant_score": {"filter": named, "boost": IDENTIFIER_BOOST}}


def strict_clauses(text: str, alternatives: Sequence[str] = ()) -> list[Clause]:
    """The ways a product matches every word as typed (stemmed, folded, with synonyms)."""
    clauses: list[Clause] = [
        identifier_clause(text),
        _cross_fields(text),
        {
            "match_bool_prefix": {
                TITLE_AUTOCOMPLETE: {"query": text, "operator": "and", "boost": PREFIX_BOOST}
            }
        },
    ]
    clauses += [_cross_fields(joined, boost=CONCATENATED_BOOST) for joined in concatenations(text)]
    clauses += [_cross_fields(other, boost=SYNONYM_BOOST) for other in alternatives]
    return clauses


def tolerant_clauses(
    text: str, stage: Stage = "tolerant", *, typo_tolerance: bool = True
) -> list[Clause]:
    """Weaker ways to match, for when strict matches are too few: typos, compounds, fewer words."""
    minimum = NOTHING_FOUND_MINIMUM if stage == "relaxed" else RELAXED_MINIMUM
    clauses: list[Clause] = [
        # the index analyzer splits "schnellladegerät" as it split "Ladegerät" in titles
        _cross_fields(
            text, fields=_fields(_GERMAN_FIELDS), analyzer=COMPOUND_ANALYZER, boost=COMPOUND_BOOST
        ),
        _cross_fields(text, operator="or", minimum_should_match=minimum, boost=RELAXED_BOOST),
    ]
    if typo_tolerance:
        clauses.append(
            {
                "multi_match": {
                    "query": text,
                    "type": "best_fields",
                    "fields": _fields(),
                    "operator": "and",
                    "fuzziness": FUZZINESS,
                    "prefix_length": FUZZY_PREFIX_LENGTH,
                    "max_expansions": FUZZY_MAX_EXPANSIONS,
                    "boost": FUZZY_BOOST,
                }
            }
        )
    return clauses


def match_clause(
    text: str,
    stage: Stage = "strict",
    *,
    typo_tolerance: bool = True,
    alternatives: Sequence[str] = (),
) -> Clause:
    """Products matching the text (or a synonym alternative of it) at this stage, each way of
    matching scored by how well it matches."""
    ways = strict_clauses(text, alternatives)
    if stage != "strict":
        ways += tolerant_clauses(text, stage, typo_tolerance=typo_tolerance)
    return {"bool": {"should": ways, "minimum_should_match": 1}}


def proximity_clause(text: str) -> Clause:
    """A bonus for the words appearing together, in order, in the title."""
    return {"match_phrase": {TITLE: {"query": text, "slop": PHRASE_SLOP, "boost": PHRASE_BOOST}}}


def value_phrases(text: str) -> list[str]:
    """The runs of words that may name a multi-word attribute value."""
    return word_runs(text, EXACT_VALUE_MIN_WORDS, EXACT_VALUE_MAX_WORDS)


def exact_value_clause(text: str) -> Clause | None:
    """A bonus per multi-word attribute value the text names in full (compared folded)."""
    phrases = value_phrases(text)
    if not phrases:
        return None
    named = {"constant_score": {"filter": {"terms": {ATTRS_KW_VALUE: phrases}}}}
    return {
        "nested": {
            "path": ATTRS_KW,
            "query": named,
            "score_mode": "sum",
            "boost": EXACT_VALUE_BOOST,
        }
    }


def ranked(query: Clause) -> Clause:
    """Multiply relevance gently by stock and rating, so they order near-equal matches."""
    return {
        "function_score": {
            "query": query,
            "functions": [
                {"weight": 1.0},
                {"filter": {"term": {IN_STOCK: True}}, "weight": IN_STOCK_BONUS},
                {
                    "field_value_factor": {
                        "field": RATING,
                        "factor": RATING_BONUS_PER_STAR,
                        "missing": 0,
                    }
                },
            ],
            "score_mode": "sum",
            "boost_mode": "multiply",
        }
    }


def text_query(
    text: str,
    filters: list[Clause],
    *,
    stage: Stage = "strict",
    typo_tolerance: bool = True,
    alternatives: Sequence[str] = (),
) -> Clause:
    """The ranked query: matching text (or everything without text) inside the filters."""
    bool_: Clause = {"filter": filters}
    if text.strip():
        matching = match_clause(
            text, stage, typo_tolerance=typo_tolerance, alternatives=alternatives
        )
        bool_["must"] = [matching]
        bonuses = [proximity_clause(text)]
        if (exact := exact_value_clause(text)) is not None:
            bonuses.append(exact)
        bool_["should"] = bonuses
    return ranked({"bool": bool_})


def next_stage(text: str, strict_hits: int) -> Stage | None:
    """The stage to run after a strict one that found `strict_hits`, or None: they are enough."""
    if not text.strip() or strict_hits >= STRICT_MIN_HITS:
        return None
    return "relaxed" if strict_hits == 0 else "tolerant"
