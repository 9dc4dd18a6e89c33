"""The attribute facet (`attributes.<name>`): values of one attribute's nested pairs (pure).

Invariants:
- An attribute's values live in nested name/value pairs, keyword ones in
  `attrs_kw` and numeric ones in `attrs_num`; both are counted, and the counts
  are of products (`reverse_nested`), not of pairs.
- Keyword values are folded for matching; each is shown in its commonest spelling.
- A number stored as text by some products and as a number by others is one value.
- The facet reads as numeric (with stats and ranges) when any product holds a
  number, else as terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from catalog.index_fields import (
    ATTRS_KW,
    ATTRS_KW_VALUE,
    ATTRS_KW_VALUE_RAW,
    ATTRS_NUM,
    ATTRS_NUM_VALUE,
    PAIR_NAME,
    subfield,
)
from read_api.query.facet_kinds.facet_kind import (
    Agg,
    Clause,
    FacetContext,
    SearchableFacet,
    prefix_terms,
)
from read_api.query.facet_kinds.numeric_facet import numeric_aggs, numeric_stats, range_results
from read_api.query.number_format import format_number
from read_api.query.prefixes import fold
from read_api.schemas import Facet, FacetValue

if TYPE_CHECKING:
    from read_api.query.fields import FieldSpec


def attribute_pairs(pairs: str, name: str, aggs: Mapping[str, Clause]) -> Clause:
    """`aggs` over the pairs (`attrs_kw` or `attrs_num`) of the attribute `name` only."""
    named = {"filter": {"term": {subfield(pairs, PAIR_NAME): name}}, "aggs": dict(aggs)}
    return {"nested": {"path": pairs}, "aggs": {"named": named}}


def commonest_spelling() -> Clause:
    """The sub-aggregation that finds how a folded keyword value is most often written."""
    return {"terms": {"field": ATTRS_KW_VALUE_RAW, "size": 1}}


def _products() -> Clause:
    return {"reverse_nested": {}}  # from the pairs back to their products


def products_and_spelling() -> dict[str, Clause]:
    """The sub-aggregations of a folded keyword value: its products, its commonest spelling."""
    return {"products": _products(), "raw": commonest_spelling()}


def spelled(bucket: Agg) -> str:
    """A folded keyword value's bucket as written, by its `commonest_spelling`."""
    raw = bucket["raw"]["buckets"]
    return str(raw[0]["key"] if raw else bucket["key"])


class AttributeFacet(SearchableFacet):
    """The values of one attribute, keyword and numeric together, counted in products."""

    name = "attribute"

    def aggregation(self, facet: FacetContext) -> dict[str, Clause]:
        """Keyword values (`kw`) and numeric values with their stats and ranges (`num`)."""
        request, name = facet.request, facet.spec.path
        keyword_values = {
            "terms": {"field": ATTRS_KW_VALUE, "size": request.size},
            "aggs": products_and_spelling(),
        }
        number_values = {
            "terms": {"field": ATTRS_NUM_VALUE, "size": request.size},
            "aggs": {"products": _products()},
        }
        number_extra = numeric_aggs(request, ATTRS_NUM_VALUE)
        return {
            "kw": attribute_pairs(ATTRS_KW, name, {"values": keyword_values}),
            "num": attribute_pairs(ATTRS_NUM, name, {"values": number_values, **number_extra}),
        }

    def result(self, facet: FacetContext, agg: Agg) -> Facet:
        """The commonest values of both kinds merged; stats and ranges when there are numbers."""
        request, selected = facet.request, facet.selected
        folded_selected = {fold(v) for v in selected}
        counts: dict[str, FacetValue] = {}
        for bucket in agg["kw"]["named"]["values"]["buckets"]:
            label = spelled(bucket)
            counts[label] = FacetValue(
                value=label,
                label=label,
                count=bucket["products"]["doc_count"],
                selected=fold(label) in folded_selected,
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
        values = sorted(counts.values(), key=lambda v: (-v.count, v.value))[: request.size]
        if not numbers["stats"]["count"]:
            return Facet(kind="terms", values=values)
        ranges = range_results(request.field, numbers["ranges"]) if "ranges" in numbers else []
        return Facet(
            kind="numeric", values=values, stats=numeric_stats(numbers["stats"]), ranges=ranges
        )

    def value_search_aggs(self, spec: FieldSpec, typed: str, size: int) -> dict[str, Clause]:
        """The keyword values whose words start as typed, folded as in matching."""
        values = {
            "terms": prefix_terms(ATTRS_KW_VALUE, typed, size, folded=True),
            "aggs": products_and_spelling(),
        }
        return {"attribute": attribute_pairs(ATTRS_KW, spec.path, {"values": values})}

    def value_search_counts(self, spec: FieldSpec, aggs: Agg) -> list[tuple[str, int]]:
        """Each value as most often written, with its product count."""
        return [
            (spelled(b), int(b["products"]["doc_count"]))
            for b in aggs["attribute"]["named"]["values"]["buckets"]
        ]
