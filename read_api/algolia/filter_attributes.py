"""One Algolia filter condition as a query-model filter, on the record's attribute names.

Algolia records name fields as the index `products` shows them: `objectID`,
`categories.lvl0`..`lvl5` (full paths `A > B`), `attributes.<name>`; each maps
to an internal field of read_api/query/fields.py. Facet values are kept as
written; numbers compare numerically; booleans are `true`/`false` (or 1/0 in a
comparison, as Algolia stores them); dates compare as Unix seconds.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from read_api.query.fields import (
    ATTRIBUTE_PREFIX,
    CATEGORY_LEVELS,
    FieldSpec,
    UnknownField,
    resolve,
)
from read_api.query.model import AnyOf, Filter, RangeFilter, TermsFilter

ALGOLIA_FIELDS: dict[str, str] = {
    "objectID": "id",
    "brand": "brand",
    "group_id": "group_id",
    "price": "price",
    "sale_price": "sale_price",
    "effective_price": "effective_price",
    "rating": "rating",
    "review_count": "review_count",
    "stock": "stock",
    "in_stock": "in_stock",
    "on_sale": "on_sale",
    "created_at": "created_at",
    "updated_at": "updated_at",
    **{level: level for level in CATEGORY_LEVELS},
}
_BOUND = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}
Member = TermsFilter | RangeFilter


class ConditionError(ValueError):
    """A condition that is well formed but cannot apply: unknown attribute, wrong kind of value."""


def field_of(attribute: str) -> FieldSpec:
    """The internal field an Algolia attribute name stands for."""
    if attribute == "_tags":
        raise ConditionError("tag filters (_tags) are not supported: this index has no tags")
    if attribute in ALGOLIA_FIELDS:
        return resolve(ALGOLIA_FIELDS[attribute])
    if attribute.startswith(ATTRIBUTE_PREFIX):
        try:
            return resolve(attribute)
        except UnknownField:
            pass
    known = ", ".join(n for n in ALGOLIA_FIELDS if n not in CATEGORY_LEVELS)
    levels = f"{CATEGORY_LEVELS[0]}..{CATEGORY_LEVELS[-1]}"
    raise ConditionError(
        f"unknown attribute {attribute!r}: filter on {known}, {levels} or attributes.<name>"
    )


def _number(spec: FieldSpec, text: str) -> float | str:
    value = float(text)
    if spec.kind == "date":  # Algolia stores dates as Unix seconds
        try:
            return datetime.fromtimestamp(value, UTC).isoformat().replace("+00:00", "Z")
        except (OverflowError, OSError, ValueError):
            raise ConditionError(f"{text} is not a date (Unix seconds)") from None
    return value


def _built(kind: type[Member], **fields: Any) -> Member:
    try:
        return kind(**fields)
    except ValidationError as exc:
        raise ConditionError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None


def facet_filter(attribute: str, value: str, exclude: bool = False) -> Member:
    """`attribute:value`: the field holds this value (or, excluded, does not)."""
    spec = field_of(attribute)
    if spec.kind == "date":
        raise ConditionError(f"{attribute} is a date: compare it, e.g. {attribute} > 1700000000")
    typed: str | float | bool = value
    if spec.kind == "boolean":
        if value.lower() not in ("true", "false"):
            raise ConditionError(f"{attribute} takes true or false")
        typed = value.lower() == "true"
    elif spec.kind == "number":
        try:
            typed = float(value)
        except ValueError:
            raise ConditionError(f"{attribute} takes numbers") from None
    return _built(TermsFilter, field=spec.name, values=[typed], exclude=exclude)


def comparison_filter(attribute: str, operator: str, text: str, exclude: bool = False) -> Member:
    """`attribute <op> number`: a numeric comparison (`=`/`!=` for exact values)."""
    spec = field_of(attribute)
    if spec.kind not in ("number", "date", "attribute", "boolean"):
        raise ConditionError(f"{attribute} is not numeric: compare numbers only")
    if operator == "!=":
        operator, exclude = "=", not exclude
    if spec.kind == "boolean":
        if operator != "=" or float(text) not in (0.0, 1.0):
            raise ConditionError(f"{attribute} is a boolean: compare it with = 0 or = 1")
        return _built(TermsFilter, field=spec.name, values=[float(text) == 1.0], exclude=exclude)
    value = _number(spec, text)
    if operator == "=":
        if spec.kind == "number":
            return _built(TermsFilter, field=spec.name, values=[value], exclude=exclude)
        return _built(RangeFilter, field=spec.name, gte=value, lte=value, exclude=exclude)
    # excluded rather than inverted: NOT rating < 4 keeps products without a rating
    return _built(RangeFilter, field=spec.name, exclude=exclude, **{_BOUND[operator]: value})


def range_filter(attribute: str, low: str, high: str, exclude: bool = False) -> Member:
    """`attribute:low TO high`: both bounds included."""
    spec = field_of(attribute)
    if spec.kind not in ("number", "date", "attribute"):
        raise ConditionError(f"{attribute} is not numeric: ranges apply to numbers only")
    bounds = {"gte": _number(spec, low), "lte": _number(spec, high)}
    return _built(RangeFilter, field=spec.name, exclude=exclude, **bounds)


def any_filter(members: list[Member]) -> Filter:
    """Alternatives as one filter: one field's values merged, several fields in an `AnyOf`."""
    merged: list[Member] = []
    for member in members:
        same = next(
            (
                i
                for i, m in enumerate(merged)
                if isinstance(m, TermsFilter)
                and isinstance(member, TermsFilter)
                and not m.exclude
                and not member.exclude
                and m.field == member.field
            ),
            None,
        )
        if same is None:
            if member not in merged:
                merged.append(member)
            continue
        earlier = merged[same]
        assert isinstance(earlier, TermsFilter)
        assert isinstance(member, TermsFilter)
        values = list(dict.fromkeys([*earlier.values, *member.values]))
        merged[same] = _built(TermsFilter, field=member.field, values=values)
    if len(merged) == 1:
        return merged[0]
    try:
        return AnyOf(any=merged)
    except ValidationError as exc:
        raise ConditionError(exc.errors()[0]["msg"]) from None
