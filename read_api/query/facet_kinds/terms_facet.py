"""The terms facet (brand, a category level, booleans): the commonest values of one field (pure).

Invariants:
- One `terms` aggregation named `values` on the field's index path.
- Values read as text: booleans `true`/`false`, numbers as shoppers write them.
- A boolean field has two values: a value search counts both and leaves the
  matching to the caller, which filters every kind's values by the typed words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from read_api.query.facet_kinds.facet_kind import (
    Agg,
    Clause,
    FacetContext,
    SearchableFacet,
    bucket_key,
    prefix_terms,
)
from read_api.query.number_format import format_number
from read_api.schemas import Facet, FacetValue

if TYPE_CHECKING:
    from read_api.query.fields import FieldSpec


def _key(bucket: Agg) -> str:
    key = bucket.get("key_as_string", bucket["key"])
    return format_number(float(key)) if isinstance(key, int | float) else str(key)


class TermsFacet(SearchableFacet):
    """The commonest values of a keyword or boolean field."""

    name = "terms"

    def aggregation(self, facet: FacetContext) -> dict[str, Clause]:
        """The field's commonest values."""
        return {"values": {"terms": {"field": facet.spec.path, "size": facet.request.size}}}

    def result(self, facet: FacetContext, agg: Agg) -> Facet:
        """The values counted, the chosen ones marked."""
        values = [
            FacetValue(
                value=_key(b),
                label=_key(b),
                count=b["doc_count"],
                selected=_key(b) in facet.selected,
            )
            for b in agg["values"]["buckets"]
        ]
        return Facet(kind="terms", values=values)

    def value_search_aggs(self, spec: FieldSpec, typed: str, size: int) -> dict[str, Clause]:
        """The values starting as typed (as written: keyword fields are not folded)."""
        if spec.kind == "boolean":  # two values: filtered after counting
            return {"values": {"terms": {"field": spec.path, "size": 2}}}
        return {"values": {"terms": prefix_terms(spec.path, typed, size, folded=False)}}

    def value_search_counts(self, spec: FieldSpec, aggs: Agg) -> list[tuple[str, int]]:
        """Each value with its count."""
        return [(bucket_key(b), int(b["doc_count"])) for b in aggs["values"]["buckets"]]
