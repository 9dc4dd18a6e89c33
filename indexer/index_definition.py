"""The products index: names, settings and mapping (the one place that defines its layout)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from catalog.index_fields import (
    ATTRIBUTES,
    ATTRS_KW,
    ATTRS_NUM,
    ATTRS_TEXT,
    AUTOCOMPLETE_SUBFIELD,
    BRAND,
    CATEGORIES,
    CATEGORY_PATHS,
    CATEGORY_TEXT,
    CREATED_AT,
    DESCRIPTION,
    EFFECTIVE_PRICE,
    ENGLISH_SUBFIELD,
    FOLDED_SUBFIELD,
    GROUP_ID,
    ID,
    IDENTIFIERS,
    IMAGES,
    IN_STOCK,
    ON_SALE,
    PAIR_NAME,
    PAIR_VALUE,
    PAIR_VALUE_RAW,
    RATING,
    RAW_SUBFIELD,
    REVIEW_COUNT,
    SALE_PRICE,
    STATUS,
    STOCK,
    TEXT_SUBFIELD,
    TITLE,
    UPDATED_AT,
    VERSION,
    category_level_key,
)
from catalog.index_fields import (
    PRICE as PRICE_FIELD,
)
from catalog.products.model import MAX_ATTRIBUTE_LIST, MAX_ATTRIBUTES, MAX_CATEGORY_DEPTH
from indexer.analysis import analysis_settings

INDEX_VERSION = 3  # bump when the mapping or analysis changes: a rebuild then makes a new index

# Solr format; search-time only, so a new list needs no reindex (see indexer.analysis)
DEFAULT_SYNONYMS: tuple[str, ...] = (
    "handyhülle, schutzhülle, hülle, case, cover",
    "ladegerät, netzteil, charger, adapter",
    "kabel, cable, ladekabel",
    "panzerglas, schutzglas, displayschutz, screen protector, displayschutzfolie",
    "kopfhörer, headphones, earbuds, ohrhörer",
    "powerbank, akku, zusatzakku",
    "halterung, halter, mount, holder",
)

# a product of 100 list attributes of 100 values each holds this many nested entries
NESTED_OBJECTS_LIMIT = MAX_ATTRIBUTES * MAX_ATTRIBUTE_LIST
PRICE = {"type": "scaled_float", "scaling_factor": 100}
KEYWORD = {"type": "keyword"}


def alias_name(prefix: str) -> str:
    """The alias every reader and writer uses; it points at the current index."""
    return f"{prefix}-products"


def index_name(prefix: str, suffix: str) -> str:
    """The name of one concrete index behind the alias (a rebuild picks a new suffix)."""
    return f"{prefix}-products-v{INDEX_VERSION}-{suffix}"


def _german(**extra: Any) -> dict[str, Any]:
    return {"type": "text", "analyzer": "text_de", "search_analyzer": "text_de_search", **extra}


def _english(**extra: Any) -> dict[str, Any]:
    return {"type": "text", "analyzer": "text_en", "search_analyzer": "text_en_search", **extra}


def _title() -> dict[str, Any]:
    # offsets make highlighting cheap without re-analysing the text
    return _german(
        index_options="offsets",
        fields={
            ENGLISH_SUBFIELD: _english(index_options="offsets"),
            # an edge-ngram subfield rather than a `search_as_you_type` field: word
            # prefixes with the same folding as full text are all autocomplete needs,
            # without the extra shingle subfields that type adds to every title
            AUTOCOMPLETE_SUBFIELD: {
                "type": "text",
                "analyzer": "autocomplete",
                "search_analyzer": "autocomplete_search",
            },
            RAW_SUBFIELD: KEYWORD,
        },
    )


def _categories() -> dict[str, Any]:
    levels = {category_level_key(i): KEYWORD for i in range(MAX_CATEGORY_DEPTH)}
    return {"properties": levels}


def _attributes() -> dict[str, Any]:
    # attributes become name/value pairs, so a new attribute never adds a field
    return {
        # the raw attributes ride along for retrieval only: not parsed, no mapping growth
        ATTRIBUTES: {"type": "object", "enabled": False},
        ATTRS_KW: {
            "type": "nested",
            "properties": {
                PAIR_NAME: KEYWORD,
                PAIR_VALUE: {"type": "keyword", "normalizer": "folded"},
                PAIR_VALUE_RAW: KEYWORD,
            },
        },
        ATTRS_NUM: {
            "type": "nested",
            "properties": {PAIR_NAME: KEYWORD, PAIR_VALUE: {"type": "double"}},
        },
        ATTRS_TEXT: _german(),
    }


def mappings() -> dict[str, Any]:
    """The index mapping: strict, so a field the document builder invents fails loudly."""
    mapping = {
        "dynamic": "strict",
        "properties": {
            ID: KEYWORD,
            # the id, model numbers and EANs, folded: an exact identifier ranks first
            IDENTIFIERS: {"type": "keyword", "normalizer": "folded"},
            TITLE: _title(),
            DESCRIPTION: _german(index_options="offsets", fields={ENGLISH_SUBFIELD: _english()}),
            # keyword as written for display and facets; folded and full-text views beside it
            BRAND: {
                "type": "keyword",
                "fields": {
                    TEXT_SUBFIELD: _german(),
                    FOLDED_SUBFIELD: {"type": "keyword", "normalizer": "folded"},
                },
            },
            CATEGORIES: _categories(),
            CATEGORY_PATHS: KEYWORD,
            # what `distinct` / `group=true` collapse on (always set: a group of one by default)
            GROUP_ID: KEYWORD,
            CATEGORY_TEXT: _german(),
            PRICE_FIELD: PRICE,
            SALE_PRICE: PRICE,
            EFFECTIVE_PRICE: PRICE,
            ON_SALE: {"type": "boolean"},
            # long, not integer: the model allows counts up to 2^53
            STOCK: {"type": "long"},
            IN_STOCK: {"type": "boolean"},
            STATUS: KEYWORD,
            # float, not half_float: 4.6 must come back as 4.6 in facet stats
            RATING: {"type": "float"},
            REVIEW_COUNT: {"type": "long"},
            CREATED_AT: {"type": "date"},
            UPDATED_AT: {"type": "date"},
            VERSION: {"type": "long"},
            IMAGES: {"type": "object", "enabled": False},
            **_attributes(),
        },
    }
    return copy.deepcopy(mapping)  # KEYWORD and PRICE are shared; callers get their own


def index_body(
    synonyms: Sequence[str] = DEFAULT_SYNONYMS, shards: int = 1, replicas: int = 1
) -> dict[str, Any]:
    """The body that creates a products index: settings (with analysis) and mappings."""
    return {
        "settings": {
            "index": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                "refresh_interval": "1s",
                "max_result_window": 10_000,
                "mapping": {"nested_objects": {"limit": NESTED_OBJECTS_LIMIT}},
            },
            "analysis": analysis_settings(synonyms),
        },
        "mappings": mappings(),
    }
