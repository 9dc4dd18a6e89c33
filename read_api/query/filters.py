"""Filters to Elasticsearch clauses, grouped by field for disjunctive faceting (pure).

Within one field the values and ranges are alternatives (OR) and excluded
values are all ruled out; across fields every group must hold (AND). A facet
ignores its own group, so its counts show what choosing another value would give.

An `AnyOf` (alternatives across fields) is required on its own. When all its
members share one field group it joins that group as one more condition (a facet
on that field ignores it too); otherwise it forms a group of its own, keyed
`any:<groups>`, which no facet ignores.

Clauses follow the field's kind (how the index stores its values: keywords,
numbers, category levels, attribute pairs), not its facet kind: fields without
a facet (ids, titles, dates) are filtered too, and one facet kind (terms) spans
keyword and boolean fields, which compare their values differently.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from catalog.index_fields import (
    ATTRS_KW,
    ATTRS_KW_VALUE,
    ATTRS_NUM,
    ATTRS_NUM_VALUE,
    PAIR_NAME,
    STATUS,
    category_level_field,
    subfield,
)
from read_api.query.fields import FieldSpec, category_level, resolve
from read_api.query.model import AnyOf, Filter, RangeFilter, TermsFilter
from read_api.query.number_format import format_number

Clause = dict[str, Any]
ACTIVE_ONLY: Clause = {"term": {STATUS: "active"}}


def _as_text(value: str | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return format_number(value) if isinstance(value, float) else value


def _as_number(value: str | float | bool) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return value
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _nested(path: str, name: str, condition: Clause) -> Clause:
    must = [{"term": {subfield(path, PAIR_NAME): name}}, condition]
    return {"nested": {"path": path, "query": {"bool": {"filter": must}}}}


def _any(clauses: list[Clause]) -> Clause:
    return (
        clauses[0]
        if len(clauses) == 1
        else {"bool": {"should": clauses, "minimum_should_match": 1}}
    )


def _attribute_terms(name: str, values: Sequence[str | float | bool]) -> Clause:
    # a value may be stored as a keyword (strings, booleans) or a number: look in both
    texts = list(dict.fromkeys(_as_text(v) for v in values))
    numbers = [n for n in (_as_number(v) for v in values) if n is not None]
    clauses = [_nested(ATTRS_KW, name, {"terms": {ATTRS_KW_VALUE: texts}})]
    if numbers:
        clauses.append(_nested(ATTRS_NUM, name, {"terms": {ATTRS_NUM_VALUE: numbers}}))
    return _any(clauses)


def _category_terms(values: Sequence[str | float | bool]) -> Clause:
    by_level: dict[int, list[str]] = defaultdict(list)
    for value in values:
        text = _as_text(value)
        by_level[category_level(text)].append(text)
    return _any(
        [{"terms": {category_level_field(level): paths}} for level, paths in by_level.items()]
    )


def terms_clause(spec: FieldSpec, values: Sequence[str | float | bool]) -> Clause:
    """Products whose field holds any of `values`."""
    if spec.kind == "attribute":
        return _attribute_terms(spec.path, values)
    if spec.kind == "category":
        return _category_terms(values)
    if spec.kind in ("number", "boolean"):
        return {"terms": {spec.path: list(values)}}
    return {"terms": {spec.path: [_as_text(v) for v in values]}}


def range_clause(spec: FieldSpec, bounds: dict[str, Any]) -> Clause:
    """Products whose field lies within `bounds` (Elasticsearch `range` parameters)."""
    if spec.kind == "attribute":
        return _nested(ATTRS_NUM, spec.path, {"range": {ATTRS_NUM_VALUE: bounds}})
    return {"range": {spec.path: bounds}}


def filter_clause(item: TermsFilter | RangeFilter) -> Clause:
    """The positive condition of one filter (its `exclude` flag is applied by the group)."""
    spec = resolve(item.field)
    if isinstance(item, RangeFilter):
        return range_clause(spec, item.bounds())
    return terms_clause(spec, item.values)


def any_of_clause(item: AnyOf) -> Clause:
    """At least one of the members holds (an excluded member holds where its value is absent)."""
    return _any(
        [
            {"bool": {"must_not": [filter_clause(m)]}} if m.exclude else filter_clause(m)
            for m in item.any
        ]
    )


def group_of(item: Filter) -> str:
    """The disjunctive group of a filter: its field's, or `any:<groups>` across fields."""
    if not isinstance(item, AnyOf):
        return resolve(item.field).group
    groups = sorted({resolve(member.field).group for member in item.any})
    return groups[0] if len(groups) == 1 else "any:" + ",".join(groups)


def group_clauses(filters: Iterable[Filter]) -> dict[str, Clause]:
    """One clause per group: any of its positive filters, each of its AnyOfs, no exclusion."""
    positive: dict[str, list[Clause]] = defaultdict(list)
    required: dict[str, list[Clause]] = defaultdict(list)
    negative: dict[str, list[Clause]] = defaultdict(list)
    for item in filters:
        group = group_of(item)
        if isinstance(item, AnyOf):
            required[group].append(any_of_clause(item))
        else:
            (negative if item.exclude else positive)[group].append(filter_clause(item))
    clauses: dict[str, Clause] = {}
    for group in dict.fromkeys([*positive, *required, *negative]):
        bool_: Clause = {}
        if positive[group] or required[group]:
            bool_["filter"] = [_any(positive[group])] if positive[group] else []
            bool_["filter"] += required[group]
        if negative[group]:
            bool_["must_not"] = negative[group]
        clauses[group] = {"bool": bool_}
    return clauses


def scope_clause(category: str | None) -> list[Clause]:
    """The browse scope: only products inside this category path (none: everything)."""
    return [] if category is None else [_category_terms([category])]


def selected_values(filters: Iterable[Filter], group: str) -> set[str]:
    """The positive term values chosen in a group, as text (to mark facet values selected)."""
    # an AnyOf within the group chooses its values too; one across groups chooses none
    terms = [
        member
        for item in filters
        if group_of(item) == group
        for member in (item.any if isinstance(item, AnyOf) else [item])
    ]
    return {
        _as_text(value)
        for item in terms
        if isinstance(item, TermsFilter) and not item.exclude
        for value in item.values
    }
