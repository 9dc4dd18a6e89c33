"""Text analysis for the products index: German and English full text, autocomplete, folding.

Elasticsearch 7.10 OSS has no ICU and no `_reload_search_analyzers` (x-pack), so
synonyms are not `updateable`. They live only in the search analyzers, which
means a change never needs a reindex: either close the index, update the
`synonyms` filter settings and reopen it (a short outage of that index), or,
without downtime, build a new index with the new list and swap the alias.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

# Written as the filters before the decompounder leave a word: german_normalization
# folds ä/ae to a, ö/oe to o, ü/ue to u and ß to ss, so "Hülle" and "Huelle" are both
# "hulle" here and one entry serves every spelling.
COMPOUND_PARTS: tuple[str, ...] = (
    "adapter", "akku", "armband", "auto", "band", "bank", "book", "buch", "cover",
    "case", "display", "dock", "eingabe", "etui", "fahrrad", "folie", "gerat", "glas",
    "halter", "halterung", "handy", "horer", "hulle", "kabel", "karte", "kfz", "klapp",
    "kopf", "lade", "leder", "magnet", "maus", "netz", "panzer", "power", "schale",
    "schnell", "schutz", "silikon", "smartphone", "speicher", "stander", "station",
    "stecker", "stift", "strom", "tablet", "tasche", "tastatur", "teil", "usb", "wallet",
    "wand",
)  # fmt: skip

# Case and accents never decide a match; German spellings ("ue" for "ü") meet too.
_FOLDING = ["lowercase", "german_normalization", "asciifolding"]
# English keeps "ue"/"oe" ("blue", "shoes"): german_normalization would feed the
# dictionary stemmer words it does not know
_FOLDING_EN = ["lowercase", "asciifolding"]

_FILTERS: dict[str, Any] = {
    "german_stemmer": {"type": "stemmer", "language": "light_german"},
    "english_stemmer": {"type": "stemmer", "language": "light_english"},
    "english_possessive": {"type": "stemmer", "language": "possessive_english"},
    # at index time only: the query "hülle" then finds "Handyhülle"; a query for the
    # compound still matches because the original token is kept beside its parts
    "german_decompounder": {
        "type": "dictionary_decompounder",
        "word_list": list(COMPOUND_PARTS),
        "only_longest_match": False,
        "min_subword_size": 3,
    },
    # the decompounder emits a listed word again as its own part ("kabel" -> "kabel")
    "unique_at_position": {"type": "remove_duplicates"},
    "autocomplete_edge": {
        "type": "edge_ngram",
        "min_gram": 1,
        "max_gram": 20,
        # a word longer than max_gram must still match when typed in full
        "preserve_original": True,
    },
}

# No stop-word filters on purpose: titles are short and words such as "ohne",
# "mit" or "kein" change what a product is; IDF already weighs down common words.
_ANALYZERS: dict[str, Any] = {
    "text_de": {
        "type": "custom",
        "tokenizer": "standard",
        "filter": [*_FOLDING, "german_decompounder", "german_stemmer", "unique_at_position"],
    },
    # synonyms must come before the stemmer (their rules are parsed by the chain in
    # front of them) and no decompounder here: stacked tokens break synonym_graph
    "text_de_search": {
        "type": "custom",
        "tokenizer": "standard",
        "filter": [*_FOLDING, "synonyms", "german_stemmer"],
    },
    "text_en": {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["english_possessive", *_FOLDING_EN, "english_stemmer"],
    },
    "text_en_search": {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["english_possessive", *_FOLDING_EN, "synonyms", "english_stemmer"],
    },
    # word prefixes (standard tokenizer, so "iphone 15" meets "iPhone-15"), folded
    # like full text so "hu" finds "Hülle" as well as "Huelle", and of compound
    # parts too, so "hül" suggests "Handyhülle"
    "autocomplete": {
        "type": "custom",
        "tokenizer": "standard",
        "filter": [*_FOLDING, "german_decompounder", "autocomplete_edge", "unique_at_position"],
    },
    "autocomplete_search": {"type": "custom", "tokenizer": "standard", "filter": _FOLDING},
}

_NORMALIZERS: dict[str, Any] = {
    "folded": {"type": "custom", "filter": ["lowercase", "asciifolding"]},
}


def analysis_settings(synonyms: Sequence[str]) -> dict[str, Any]:
    """The `index.analysis` settings, with `synonyms` (Solr format) in the search analyzers."""
    synonym_filter = {"type": "synonym_graph", "synonyms": list(synonyms)}
    settings = {
        "filter": {**_FILTERS, "synonyms": synonym_filter},
        "analyzer": _ANALYZERS,
        "normalizer": _NORMALIZERS,
    }
    return copy.deepcopy(settings)  # callers may edit their body; the templates stay intact
