"""The `filter` query parameter's text syntax, parsed into the query model's filters.

    brand:Spigen                  the field holds this value (repeat for OR)
    -attributes.color:schwarz     excluded
    price:[10,25)  price:(,50]    a range; square brackets include the bound
    price:10..50                  10 to 50, both included (either side may be empty)
    rating:>=4  stock:>0          comparisons: >, >=, <, <=
    categories:Audio > Kopfhörer  a category path at any level

Repeated filters on one field are alternatives (OR); filters on different fields
must all hold (AND).
"""

from __future__ import annotations

import math
import re

from pydantic import ValidationError

from read_api.query.fields import resolve
from read_api.query.model import Filter, RangeFilter, TermsFilter

_INTERVAL = re.compile(r"^([\[(])\s*([^,\s]*)\s*,\s*([^,\s]*)\s*([\])])$")
_SPAN = re.compile(r"^([^.\s]*)\.\.([^.\s]*)$")
_COMPARISON = re.compile(r"^(>=|<=|>|<)\s*(\S+)$")
_OPERATORS = {">=": "gte", ">": "gt", "<=": "lte", "<": "lt"}


class FilterSyntaxError(ValueError):
    """A filter string that cannot be read."""


def _bound(text: str, dates: bool) -> float | str | None:
    if not text:
        return None
    if dates:
        return text
    try:
        number = float(text)
    except ValueError:
        raise FilterSyntaxError(f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise FilterSyntaxError("bounds must be finite")
    return number


def _range(text: str, dates: bool) -> dict[str, float | str | None] | None:
    if match := _INTERVAL.match(text):
        opening, low, high, closing = match.groups()
        lower = "gte" if opening == "[" else "gt"
        upper = "lte" if closing == "]" else "lt"
        return {lower: _bound(low, dates), upper: _bound(high, dates)}
    if match := _SPAN.match(text):
        return {"gte": _bound(match[1], dates), "lte": _bound(match[2], dates)}
    if match := _COMPARISON.match(text):
        return {_OPERATORS[match[1]]: _bound(match[2], dates)}
    return None


def _looks_like_range(text: str) -> bool:
    return bool(_INTERVAL.match(text) or _SPAN.match(text) or _COMPARISON.match(text))


def _value(kind: str, text: str) -> str | float | bool:
    if kind == "boolean":
        if text not in ("true", "false"):
            raise FilterSyntaxError("takes true or false")
        return text == "true"
    if kind == "number":
        value = _bound(text, dates=False)
        assert value is not None
        return value
    return text


def parse_filter(text: str) -> Filter:
    """One filter from its text form; FilterSyntaxError or ValidationError when it is wrong."""
    exclude = text.startswith("-")
    field, colon, value = text.removeprefix("-").partition(":")
    if not colon or not field:
        raise FilterSyntaxError("write filters as field:value, e.g. brand:Spigen or price:[10,50)")
    kind = resolve(field).kind
    if kind in ("number", "date") or (kind == "attribute" and _looks_like_range(value)):
        try:
            bounds = _range(value, dates=kind == "date")
        except FilterSyntaxError:
            if kind == "attribute":  # not numeric after all: a keyword value
                bounds = None
            else:
                raise
        if bounds is not None:
            given = {k: v for k, v in bounds.items() if v is not None}
            return RangeFilter.model_validate({"field": field, "exclude": exclude, **given})
    return TermsFilter(field=field, values=[_value(kind, value)], exclude=exclude)


def error_message(exc: ValueError) -> str:
    """A short message for a filter that failed to parse or validate."""
    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
    return str(exc)
