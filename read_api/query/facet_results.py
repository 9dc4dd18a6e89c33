"""Facet counts from an Elasticsearch response to the public facet shape (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from read_api.query.facets import facet_key
from read_api.query.fields import CATEGORY_SEPARATOR, FieldSpec, facet_spec
from read_api.query.filters import format_number, selected_values
from read_api.query.model import FacetRequest, SearchQuery
from read_api.query.prefixes import fold
from read_api.schemas import Facet, FacetValue, NumericStats, RangeBucket

Agg = Mapping[str, Any]
SINGLE_PRECISION = frozenset({"rating"})  # mapped as float


def _key(bucket: Agg) -> str:
    key = bucket.get("key_as_string", bucket["key"])
    return format_number(float(key)) if isinstance(key, int | float) else str(key)


def _terms(agg: Agg, selected: set[str]) -> list[FacetValue]:
    return [
        FacetValue(value=_key(b), label=_key(b), count=b["doc_count"], selected=_key(b) in selected)
        for b in agg["buckets"]
    ]


def _single(value: float | None) -> float | None:
    # float fields (rating) come back widened from 32 bits: 4.7 as 4.699999809265137
    return None if value is None else float(f"{value:.7g}")


def _stats(agg: Agg, single_precision: bool = False) -> NumericStats:
    exact = _single if single_precision else (lambda v: v)
    return NumericStats(
        count=agg["count"],
        min=exact(agg["min"]),
        max=exact(agg["max"]),
        avg=exact(agg["avg"]),
        sum=exact(agg["sum"]) or 0.0,
    )


def range_filter(field: str, gte: float | None, lt: float | None) -> str:
    """The `filter` parameter selecting [gte, lt) of a field."""
    low = "" if gte is None else format_number(gte)
    high = "" if lt is None else format_number(lt)
    return f"{field}:[{low},{high})"


def _ranges(field: str, agg: Agg) -> list[RangeBucket]:
    buckets = []
    for b in agg["buckets"]:
        gte, lt = b.get("from"), b.get("to")
        buckets.append(
            RangeBucket(gte=gte, lt=lt, count=b["doc_count"], filter=range_filter(field, gte, lt))
        )
    return buckets


def _numeric(field: str, agg: Agg) -> Facet:
    single = field in SINGLE_PRECISION
    ranges = _ranges(field, agg["ranges"]) if "ranges" in agg else []
    stats = _stats(agg["stats"], single_precision=single)
    values = []
    if "values" in agg:  # distinct values were counted (the Algolia protocol)
        for b in agg["values"]["buckets"]:
            number = float(b["key"])
            # scaled floats (prices) come back as 23.990000000000002, floats widened from 32 bits
            digits = 7 if single else 15
            text = format_number(number if number.is_integer() else float(f"{number:.{digits}g}"))
            values.append(FacetValue(value=text, label=text, count=b["doc_count"]))
    return Facet(kind="numeric", stats=stats, ranges=ranges, values=values)


def _attribute(field: str, agg: Agg, selected: set[str], size: int) -> Facet:
    folded_selected = {fold(v) for v in selected}
    counts: dict[str, FacetValue] = {}
    for bucket in agg["kw"]["named"]["values"]["buckets"]:
        raw = bucket["raw"]["buckets"]
        label = raw[0]["key"] if raw else bucket["key"]
        count = bucket["products"]["doc_count"]
        counts[label] = FacetValue(
            value=label, label=label, count=count, selected=fold(label) in folded_selected
        )
    numbers = agg["num"]["named"]
    for bucket in numbers["values"]["buckets"]:
        text = format_number(float(bucket["key"]))
        count = bucket["products"]["doc_count"]
        if text in counts:  # the same value stored as text by some products
            counts[text].count += count
        else:
            counts[text] = FacetValue(
                value=text, label=text, count=count, selected=text in selected
            )
    values = sorted(counts.values(), key=lambda v: (-v.count, v.value))[:size]
    if not numbers["stats"]["count"]:
        return Facet(kind="terms", values=values)
    ranges = _ranges(field, numbers["ranges"]) if "ranges" in numbers else []
    return Facet(kind="numeric", values=values, stats=_stats(numbers["stats"]), ranges=ranges)


def _hierarchical(agg: Agg, selected: str | None) -> Facet:
    levels = []
    depth = 0
    while f"lvl{depth}" in agg:
        level = []
        for bucket in agg[f"lvl{depth}"]["buckets"]:
            path = str(bucket["key"])
            chosen = selected is not None and (
                selected == path or selected.startswith(path + CATEGORY_SEPARATOR)
            )
            label = path.rsplit(CATEGORY_SEPARATOR, 1)[-1]
            level.append(
                FacetValue(value=path, label=label, count=bucket["doc_count"], selected=chosen)
            )
        levels.append(level)
        depth += 1
    return Facet(kind="hierarchical", levels=levels)


def facet_result(
    request: FacetRequest, spec: FieldSpec, agg: Agg, query: SearchQuery, category: str | None
) -> Facet:
    """One facet's public counts from its aggregation."""
    selected = selected_values(query.filters, spec.group)
    if spec.facet == "numeric":
        return _numeric(request.field, agg)
    if spec.facet == "attribute":
        return _attribute(request.field, agg, selected, request.size)
    if spec.facet == "hierarchical":
        return _hierarchical(agg, category)
    return Facet(kind="terms", values=_terms(agg["values"], selected))


def facet_results(query: SearchQuery, aggs: Agg | None, category: str | None) -> dict[str, Facet]:
    """Every requested facet by field name."""
    if not aggs:
        return {}
    return {
        request.field: facet_result(
            request, facet_spec(request.field), aggs[facet_key(index)], query, category
        )
        for index, request in enumerate(query.facets)
    }
