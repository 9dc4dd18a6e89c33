"""The canonical form of a query's filters: equal searches written differently look the same.

Filters on different fields are ANDed and the values of one filter are ORed,
so neither their order nor repeats change the hits; nor do the order and
repeats of an `any` filter's alternatives. The cache keys answers
and the cursor fingerprints queries by this form, so `brand:A&price:[1,5)`
and `price:[1,5)&brand:A` share a cached answer and accept each other's cursors.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from read_api.query.model import AnyOf, Filter, TermsFilter


def _sort_key(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def canonical_filter(item: Filter) -> dict[str, Any]:
    """One filter as plain data, its values sorted and without repeats."""
    data = item.model_dump(mode="json")
    if isinstance(item, TermsFilter):
        data["values"] = sorted({_sort_key(v): v for v in data["values"]}.values(), key=_sort_key)
    elif isinstance(item, AnyOf):
        data["any"] = canonical_filters(item.any)
    return data


def canonical_filters(filters: Iterable[Filter]) -> list[dict[str, Any]]:
    """Every filter in canonical form, sorted, each once."""
    unique = {_sort_key(f): f for f in map(canonical_filter, filters)}
    return [unique[k] for k in sorted(unique)]
