"""The numeric facet (prices, stock, rating): stats, range buckets, or distinct values (pure).

Invariants:
- Stats are always counted; range buckets are half-open [from, to), open at both
  ends, around the requested boundaries or the field's default ones.
- With `numeric_values` (the Algolia protocol) distinct values are counted
  instead of ranges, each written as the shopper would type it.
- Its values cannot be searched by typing: it is no SearchableFacet.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from catalog.index_fields import RATING
from read_api.query.facet_kinds.facet_kind import Agg, Clause, FacetContext, FacetKind
from read_api.query.number_format import format_number
from read_api.schemas import Facet, FacetValue, NumericStats, RangeBucket

if TYPE_CHECKING:
    from read_api.query.model import FacetRequest

PRICE_RANGES = (10.0, 25.0, 50.0, 100.0, 250.0)
DEFAULT_RANGES: dict[str, tuple[float, ...]] = {
    "price": PRICE_RANGES,
    "sale_price": PRICE_RANGES,
    "effective_price": PRICE_RANGES,
    "rating": (2.0, 3.0, 4.0, 4.5),
}
SINGLE_PRECISION = frozenset({RATING})  # index fields mapped as float


def range_buckets(boundaries: Sequence[float]) -> list[dict[str, float]]:
    """Half-open buckets [from, to) around the boundaries, open at both ends."""
    buckets: list[dict[str, float]] = [{"to": boundaries[0]}]
    buckets += [{"from": lo, "to": hi} for lo, hi in itertools.pairwise(boundaries)]
    buckets.append({"from": boundaries[-1]})
    return buckets


def _boundaries(request: FacetRequest) -> tuple[float, ...] | None:
    return tuple(request.ranges) if request.ranges else DEFAULT_RANGES.get(request.field)


def numeric_aggs(request: FacetRequest, path: str, values: bool = False) -> dict[str, Clause]:
    """Stats of a numeric index field, with its range buckets or (`values`) its distinct values."""
    aggs: dict[str, Clause] = {"stats": {"stats": {"field": path}}}
    if values:  # Algolia counts each distinct number, as for any facet
        aggs["values"] = {"terms": {"field": path, "size": request.size}}
        return aggs
    boundaries = _boundaries(request)
    if boundaries:
        aggs["ranges"] = {"range": {"field": path, "ranges": range_buckets(boundaries)}}
    return aggs


def _single(value: float | None) -> float | None:
    # float fields (rating) come back widened from 32 bits: 4.7 as 4.699999809265137
    return None if value is None else float(f"{value:.7g}")


def numeric_stats(agg: Agg, single_precision: bool = False) -> NumericStats:
    """The public stats of a `stats` aggregation."""
    exact = _single if single_precision else (lambda v: v)
    return NumericStats(
        count=agg["count"],
        min=exact(agg["min"]),
        max=exact(agg["max"]),
        avg=exact(agg["avg"]),
        sum=exact(agg["sum"]) or 0.0,
    )


def _value_text(number: float, single_precision: bool) -> str:
    # scaled floats (prices) come back as 23.990000000000002, floats widened from 32 bits
    digits = 7 if single_precision else 15
    return format_number(number if number.is_integer() else float(f"{number:.{digits}g}"))


def range_filter(field: str, gte: float | None, lt: float | None) -> str:
    """The `filter` parameter selecting [gte, lt) of a field."""
    low = "" if gte is None else format_number(gte)
    high = "" if lt is None else format_number(lt)
    return f"{field}:[{low},{high})"


def range_results(field: str, agg: Agg) -> list[RangeBucket]:
    """The public buckets of a `range` aggregation, each with the filter that selects it."""
    buckets = []
    for b in agg["buckets"]:
        gte, lt = b.get("from"), b.get("to")
        buckets.append(
            RangeBucket(gte=gte, lt=lt, count=b["doc_count"], filter=range_filter(field, gte, lt))
        )
    return buckets


class NumericFacet(FacetKind):
    """Stats and range buckets of a number field (or its distinct values, for Algolia)."""

    name = "numeric"

    def aggregation(self, facet: FacetContext) -> dict[str, Clause]:
        """Stats, and range buckets or distinct values."""
        return numeric_aggs(facet.request, facet.spec.path, facet.numeric_values)

    def result(self, facet: FacetContext, agg: Agg) -> Facet:
        """Stats, ranges and the values counted."""
        field = facet.request.field
        single = facet.spec.path in SINGLE_PRECISION
        ranges = range_results(field, agg["ranges"]) if "ranges" in agg else []
        stats = numeric_stats(agg["stats"], single_precision=single)
        values = []
        if "values" in agg:  # distinct values were counted (the Algolia protocol)
            for b in agg["values"]["buckets"]:
                text = _value_text(float(b["key"]), single)
                values.append(FacetValue(value=text, label=text, count=b["doc_count"]))
        return Facet(kind="numeric", stats=stats, ranges=ranges, values=values)
