"""What a facet kind answers: the aggregation that counts it, and its counts in public shape.

Invariants:
- Pure: a kind writes Elasticsearch clauses and reads Elasticsearch answers, no I/O.
- One stateless instance per kind serves every field of that kind; the facet
  to count comes in as a FacetContext (its request, its field's spec, and what
  the query around it chose).
- The names a kind gives its aggregations are read back by the same class only.
- Kinds import no other read_api/query module at run time but prefixes and
  number_format: fields.py imports the kinds, so anything else would be a cycle.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from read_api.query.prefixes import folded_prefix_pattern, raw_prefix_pattern

if TYPE_CHECKING:
    from read_api.query.fields import FieldSpec
    from read_api.query.model import FacetRequest
    from read_api.schemas import Facet

Clause = dict[str, Any]
Agg = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class FacetContext:
    """One requested facet in its search: the request, its field, what the query chose."""

    request: FacetRequest
    spec: FieldSpec
    category: str | None = None  # the category path the menu unfolds
    numeric_values: bool = False  # count distinct numbers too, as Algolia does
    selected: frozenset[str] = frozenset()  # the values chosen in the facet's group


class FacetKind(ABC):
    """A kind of facet: how it is counted in the search request and read from the answer."""

    name: ClassVar[str]
    # Algolia clients count it under the field's own name
    algolia: ClassVar[bool] = True

    @abstractmethod
    def aggregation(self, facet: FacetContext) -> dict[str, Clause]:
        """The aggregations that count the facet (inside the disjunctive filter around them)."""

    @abstractmethod
    def result(self, facet: FacetContext, agg: Agg) -> Facet:
        """The public counts from the facet's aggregation."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class SearchableFacet(FacetKind):
    """A kind whose values a shopper can search by typing their start."""

    @abstractmethod
    def value_search_aggs(self, spec: FieldSpec, typed: str, size: int) -> dict[str, Clause]:
        """The aggregations that count the values starting with `typed` (empty: all of them)."""

    @abstractmethod
    def value_search_counts(self, spec: FieldSpec, aggs: Agg) -> list[tuple[str, int]]:
        """Each value counted by `value_search_aggs`, as displayed, with its product count."""


def prefix_terms(field: str, typed: str, size: int, *, folded: bool) -> Clause:
    """A `terms` aggregation body for the values of `field` whose words start with `typed`."""
    terms: Clause = {"field": field, "size": size}
    if typed:
        terms["include"] = folded_prefix_pattern(typed) if folded else raw_prefix_pattern(typed)
    return terms


def bucket_key(bucket: Agg) -> str:
    """A terms bucket's value as text (booleans come as `true`/`false` in `key_as_string`)."""
    return str(bucket.get("key_as_string", bucket["key"]))
