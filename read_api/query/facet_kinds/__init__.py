"""Facet kinds: one class per kind holds its aggregation, its result and its value search.

Invariants:
- Each kind has one shared instance here; a field's spec refers to it
  (read_api/query/fields.py), and callers ask the kind instead of testing its name.
- A new kind is one new class beside these, and its instance here.
"""

from __future__ import annotations

from read_api.query.facet_kinds.attribute_facet import AttributeFacet
from read_api.query.facet_kinds.facet_kind import FacetContext, FacetKind, SearchableFacet
from read_api.query.facet_kinds.hierarchical_facet import HierarchicalFacet
from read_api.query.facet_kinds.numeric_facet import NumericFacet
from read_api.query.facet_kinds.terms_facet import TermsFacet

TERMS = TermsFacet()
NUMERIC = NumericFacet()
HIERARCHICAL = HierarchicalFacet()
ATTRIBUTE = AttributeFacet()

__all__ = [
    "ATTRIBUTE",
    "HIERARCHICAL",
    "NUMERIC",
    "TERMS",
    "AttributeFacet",
    "FacetContext",
    "FacetKind",
    "HierarchicalFacet",
    "NumericFacet",
    "SearchableFacet",
    "TermsFacet",
]
