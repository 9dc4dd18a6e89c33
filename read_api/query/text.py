"""Full-text matching and ranking (pure): which products match words, and in what order.

A product matches when one of these holds: its id is the text; all words occur
across its fields; all words occur, with typos, in one field; its title has
words starting with every typed word (the last one usually being typed still);
the parts of a compound the shopper typed occur ("schnellladegerät"); or, from
three words on, all words but one occur. The last two are fallbacks, scored
well below a full match. Boosts are named here, and nowhere else.
"""

from __future__ import annotations

import re
from typing import Any

Clause = dict[str, Any]

# field weights: title > brand > category > attributes > description
TITLE_BOOST = 5.0
TITLE_EN_BOOST = 3.0
BRAND_BOOST = 4.0
CATEGORY_BOOST = 2.0
ATTRIBUTE_BOOST = 1.5
DESCRIPTION_BOOST = 1.0
DESCRIPTION_EN_BOOST = 0.5
PREFIX_BOOST = 2.0  # as-you-type matches on title word prefixes
PHRASE_BOOST = 3.0  # the words close together in the title, in order
PHRASE_SLOP = 2
ID_BOOST = 1000.0  # an exact product id comes first, whatever else matches
# an attribute value typed in full: "iphone 15" is the device iPhone 15, which
# "iPhone 15 Pro" only contains; also colours, materials, connectors, EANs
EXACT_VALUE_BOOST = 40.0
EXACT_VALUE_MAX_WORDS = 4  # the longest value looked for, in words
EXACT_VALUE_QUERY_WORDS = 12  # words of a long query looked at: bounds the terms sent
# fallbacks, far below a full match so they only fill what full matches leave
COMPOUND_BOOST = 0.2
RELAXED_BOOST = 0.2
RELAXED_MINIMUM = "2<-1"  # from three words on, one may be missing ("2m", "to")

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

_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

TEXT_FIELDS: tuple[tuple[str, float], ...] = (
    ("title", TITLE_BOOST),
    ("title.en", TITLE_EN_BOOST),
    ("brand.text", BRAND_BOOST),
    ("category_text", CATEGORY_BOOST),
    ("attrs_text", ATTRIBUTE_BOOST),
    ("description", DESCRIPTION_BOOST),
    ("description.en", DESCRIPTION_EN_BOOST),
)
_GERMAN_FIELDS = ("title", "brand.text", "category_text", "attrs_text", "description")


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


def full_match_clauses(text: str, *, typo_tolerance: bool = True) -> list[Clause]:
    """The ways a product matches every word: across fields, as title prefixes, with typos."""
    clauses: list[Clause] = [
        _cross_fields(text),
        {
            "match_bool_prefix": {
                "title.autocomplete": {"query": text, "operator": "and", "boost": PREFIX_BOOST}
            }
        },
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
                }
            }
        )
    return clauses


def fallback_clauses(text: str) -> list[Clause]:
    """Weaker ways to match, scored far below a full match: compound parts, all words but one."""
    return [
        # the index analyzer splits "schnellladegerät" as it split "Ladegerät" in titles
        _cross_fields(
            text, fields=_fields(_GERMAN_FIELDS), analyzer=COMPOUND_ANALYZER, boost=COMPOUND_BOOST
        ),
        _cross_fields(
            text, operator="or", minimum_should_match=RELAXED_MINIMUM, boost=RELAXED_BOOST
        ),
    ]


def match_clause(text: str, *, typo_tolerance: bool = True) -> Clause:
    """Products matching the text, each alternative scored by how well it matches."""
    alternatives = [
        *full_match_clauses(text, typo_tolerance=typo_tolerance),
        *fallback_clauses(text),
    ]
    stripped = text.strip()
    if _ID.fullmatch(stripped):
        alternatives.insert(
            0, {"constant_score": {"filter": {"term": {"id": stripped}}, "boost": ID_BOOST}}
        )
    return {"bool": {"should": alternatives, "minimum_should_match": 1}}


def proximity_clause(text: str) -> Clause:
    """A bonus for the words appearing together, in order, in the title."""
    return {"match_phrase": {"title": {"query": text, "slop": PHRASE_SLOP, "boost": PHRASE_BOOST}}}


def value_phrases(text: str) -> list[str]:
    """Every run of up to EXACT_VALUE_MAX_WORDS consecutive words: the values the text may name."""
    words = text.split()[:EXACT_VALUE_QUERY_WORDS]
    runs = {
        " ".join(words[start : start + size])
        for size in range(1, EXACT_VALUE_MAX_WORDS + 1)
        for start in range(len(words) - size + 1)
    }
    return sorted(runs)


def exact_value_clause(text: str, *, typo_tolerance: bool = True) -> Clause:
    """A bonus per attribute value the text names in full (compared folded, as facets are).

    Only for full matches: a case for the iPhone 15 must not overtake a screen
    protector when the shopper asked for "schutzfolie iphone 15".
    """
    named = {"constant_score": {"filter": {"terms": {"attrs_kw.value": value_phrases(text)}}}}
    full = full_match_clauses(text, typo_tolerance=typo_tolerance)
    return {
        "bool": {
            "filter": [{"bool": {"should": full, "minimum_should_match": 1}}],
            "must": [
                {
                    "nested": {
                        "path": "attrs_kw",
                        "query": named,
                        "score_mode": "sum",
                        "boost": EXACT_VALUE_BOOST,
                    }
                }
            ],
        }
    }


def ranked(query: Clause) -> Clause:
    """Multiply relevance gently by stock and rating, so they order near-equal matches."""
    return {
        "function_score": {
            "query": query,
            "functions": [
                {"weight": 1.0},
                {"filter": {"term": {"in_stock": True}}, "weight": IN_STOCK_BONUS},
                {
                    "field_value_factor": {
                        "field": "rating",
                        "factor": RATING_BONUS_PER_STAR,
                        "missing": 0,
                    }
                },
            ],
            "score_mode": "sum",
            "boost_mode": "multiply",
        }
    }


def text_query(text: str, filters: list[Clause], *, typo_tolerance: bool = True) -> Clause:
    """The ranked query: matching text (or everything without text) inside the filters."""
    bool_: Clause = {"filter": filters}
    if text.strip():
        bool_["must"] = [match_clause(text, typo_tolerance=typo_tolerance)]
        bool_["should"] = [
            proximity_clause(text),
            exact_value_clause(text, typo_tolerance=typo_tolerance),
        ]
    return ranked({"bool": bool_})
