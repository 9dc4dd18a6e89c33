"""The query model's filters written back in the `filter` parameter's syntax (pure).

Search events record filters in this form (`analytics.events.SearchEvent`), so
the analytics package never needs the query model: `brand:Spigen`,
`-price:[10,25)`, `brand:Hama OR price:(,10)`. Numbers read as shoppers write
them (`number_format`), so a recorded filter is one a shopper could type.
"""

from __future__ import annotations

from read_api.query.model import AnyOf, Filter, RangeFilter
from read_api.query.number_format import format_number


def _value(value: str | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return format_number(value) if isinstance(value, float) else value


def _bound(value: float | str | None) -> str:
    if value is None:
        return ""
    return format_number(value) if isinstance(value, float) else value


def describe_filter(item: Filter) -> str:
    """A filter in the `filter` parameter's syntax: `brand:Spigen`, `-price:[10,25)`."""
    if isinstance(item, AnyOf):  # alternatives across fields: `brand:Hama OR price:(,10)`
        return " OR ".join(describe_filter(member) for member in item.any)
    sign = "-" if item.exclude else ""
    if isinstance(item, RangeFilter):
        low = item.gte if item.gte is not None else item.gt
        high = item.lte if item.lte is not None else item.lt
        opening = "[" if item.gte is not None else "("
        closing = "]" if item.lte is not None else ")"
        return f"{sign}{item.field}:{opening}{_bound(low)},{_bound(high)}{closing}"
    return f"{sign}{item.field}:{'|'.join(_value(v) for v in item.values)}"
