"""The internal search query: what a shopper asks, independent of HTTP and of Algolia.

The native REST routes and the Algolia protocol layer both translate into
`SearchQuery`; the builders turn it into an Elasticsearch request. Field names
are checked against the field catalog here, so a query that validates can be built.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

from catalog.index_fields import CATEGORY_SEPARATOR
from catalog.products.model import MAX_ATTRIBUTE_STRING, MAX_CATEGORY_DEPTH
from read_api.query.fields import facet_spec, resolve

MAX_QUERY_CHARS = 512
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000  # the index's max_result_window: deeper needs the cursor
MAX_FILTERS = 64
MAX_FILTER_VALUES = 100
MAX_ANY_MEMBERS = 20
MAX_FACETS = 20
MAX_FACET_VALUES = 100
MAX_RANGE_BOUNDARIES = 20
MAX_TAG_CHARS = 64
MAX_ALTERNATIVES = 8  # texts the synonym sets make of a query (read_api/synonyms)
MAX_GROUP_HITS = 4  # hits per variant group (Algolia's `distinct` allows 0..4)

Sort = Literal["relevance", "price_asc", "price_desc", "newest", "rating"]
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=80)]
FilterValue = (
    StrictBool | float | Annotated[str, StringConstraints(max_length=MAX_ATTRIBUTE_STRING)]
)
Bound = float | Annotated[str, StringConstraints(min_length=1, max_length=40)]
CursorValue = str | int | float | None


def _check_field(name: str) -> str:
    resolve(name)  # UnknownField is a ValueError: pydantic reports it at the field
    return name


class TermsFilter(BaseModel):
    """Products whose field holds any of `values` (or, with `exclude`, none of them)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: FieldName
    values: Annotated[list[FilterValue], Field(min_length=1, max_length=MAX_FILTER_VALUES)]
    exclude: bool = False

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        return _check_field(value)

    @model_validator(mode="after")
    def _values_fit_the_field(self) -> TermsFilter:
        kind = resolve(self.field).kind
        for value in self.values:
            if kind == "number" and (isinstance(value, bool) or not isinstance(value, float)):
                raise ValueError(f"{self.field} takes numbers")
            if kind == "boolean" and not isinstance(value, bool):
                raise ValueError(f"{self.field} takes true or false")
            if kind == "category" and (
                not isinstance(value, str) or value.count(CATEGORY_SEPARATOR) >= MAX_CATEGORY_DEPTH
            ):
                raise ValueError(f"{self.field} takes paths such as 'A > B' of up to 6 names")
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError("numbers must be finite")
        return self


class RangeFilter(BaseModel):
    """Products whose numeric (or date) field lies within the bounds given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: FieldName
    gte: Bound | None = None
    gt: Bound | None = None
    lte: Bound | None = None
    lt: Bound | None = None
    exclude: bool = False

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        return _check_field(value)

    def bounds(self) -> dict[str, Bound]:
        """The bounds that are set, as Elasticsearch `range` parameters."""
        pairs = {"gte": self.gte, "gt": self.gt, "lte": self.lte, "lt": self.lt}
        return {k: v for k, v in pairs.items() if v is not None}

    @model_validator(mode="after")
    def _bounds_fit_the_field(self) -> RangeFilter:
        kind = resolve(self.field).kind
        bounds = self.bounds()
        if not bounds:
            raise ValueError("a range needs at least one of gte, gt, lte, lt")
        if kind not in ("number", "date", "attribute"):
            raise ValueError(f"{self.field} has no ranges")
        for value in bounds.values():
            if kind != "date" and not isinstance(value, float):
                raise ValueError(f"{self.field} takes numeric bounds")
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError("bounds must be finite")
        return self


def _filter_kind(value: Any) -> str:
    if isinstance(value, dict):
        if "any" in value:
            return "any"
        return "range" if {"gte", "gt", "lte", "lt"} & value.keys() else "terms"
    if isinstance(value, AnyOf):
        return "any"
    return "range" if isinstance(value, RangeFilter) else "terms"


Member = Annotated[
    Annotated[TermsFilter, Tag("terms")] | Annotated[RangeFilter, Tag("range")],
    Discriminator(_filter_kind),
]


class AnyOf(BaseModel):
    """Products matching at least one of its filters, which may be on different fields.

    Each member keeps its own `exclude` (`brand:Hama OR NOT in_stock:true`). Beside
    the other filters it must hold on its own: two `any` filters are both required.
    Its members' fields decide its facet group: a facet ignores it (disjunctive
    counts) only when every member is on that facet's field.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    any: Annotated[list[Member], Field(min_length=1, max_length=MAX_ANY_MEMBERS)] = Field(
        description="the alternatives: `{field, values, exclude}` or `{field, gte|gt|lte|lt, "
        "exclude}` each; at least one must hold"
    )


Filter = Annotated[
    Annotated[TermsFilter, Tag("terms")]
    | Annotated[RangeFilter, Tag("range")]
    | Annotated[AnyOf, Tag("any")],
    Discriminator(_filter_kind),
]


def _positive_key(item: Filter) -> str | None:
    """The field group in which `item` would be ORed with its peers (None: it never is)."""
    if isinstance(item, AnyOf) or item.exclude:
        return None
    return resolve(item.field).group


def _narrowest(first: RangeFilter, second: RangeFilter) -> RangeFilter | None:
    """Both ranges of one field as one (None when their bounds are not comparable numbers)."""
    lows = [(v, k == "gt") for k, v in (("gte", first.gte), ("gt", first.gt)) if v is not None]
    lows += [(v, k == "gt") for k, v in (("gte", second.gte), ("gt", second.gt)) if v is not None]
    highs = [(v, k == "lt") for k, v in (("lte", first.lte), ("lt", first.lt)) if v is not None]
    highs += [(v, k == "lt") for k, v in (("lte", second.lte), ("lt", second.lt)) if v is not None]
    if any(not isinstance(v, float) for v, _ in [*lows, *highs]):
        return None
    bounds: dict[str, Any] = {}
    if lows:  # the highest lower bound; at a tie the strict one
        value, strict = max(lows, key=lambda vs: (vs[0], vs[1]))
        bounds["gt" if strict else "gte"] = value
    if highs:  # the lowest upper bound; at a tie the strict one
        value, strict = min(highs, key=lambda vs: (vs[0], not vs[1]))
        bounds["lt" if strict else "lte"] = value
    return RangeFilter(field=first.field, **bounds)


def conjunction(filters: Iterable[Filter]) -> list[Filter]:
    """Filters that must ALL hold, written so that `SearchQuery.filters` means exactly that.

    `SearchQuery.filters` ORs the plain positive filters of one field group
    (disjunctive faceting); a conjunction must not. Two ranges of one field
    become their intersection; any other second positive filter in a group is
    wrapped in a one-member `AnyOf`, which is required on its own.
    """
    result: list[Filter] = []
    where: dict[str, int] = {}
    for item in filters:
        key = _positive_key(item)
        if key is None or key not in where:
            if key is not None:
                where[key] = len(result)
            if item not in result:
                result.append(item)
            continue
        earlier = result[where[key]]
        if earlier == item:
            continue
        if (
            isinstance(earlier, RangeFilter)
            and isinstance(item, RangeFilter)
            and earlier.field == item.field
            and (merged := _narrowest(earlier, item)) is not None
        ):
            result[where[key]] = merged
            continue
        wrapped = AnyOf(any=[item])
        if wrapped not in result:
            result.append(wrapped)
    return result


class FacetRequest(BaseModel):
    """A facet to count: its field, how many values, and range boundaries for numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: FieldName
    size: Annotated[int, Field(ge=1, le=MAX_FACET_VALUES)] = 10
    ranges: Annotated[list[float], Field(min_length=1, max_length=MAX_RANGE_BOUNDARIES)] | None = (
        None
    )

    @field_validator("field")
    @classmethod
    def _facetable(cls, value: str) -> str:
        facet_spec(value)
        return value

    @field_validator("ranges")
    @classmethod
    def _ascending(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and (
            any(not math.isfinite(v) for v in value) or value != sorted(set(value))
        ):
            raise ValueError("range boundaries must be finite and strictly ascending")
        return value


class Highlight(BaseModel):
    """Whether and how to mark matched words in hits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    pre_tag: Annotated[str, StringConstraints(max_length=MAX_TAG_CHARS)] = "<em>"
    post_tag: Annotated[str, StringConstraints(max_length=MAX_TAG_CHARS)] = "</em>"


class Paging(BaseModel):
    """Which hits: an offset within the result window, or the ones after a cursor position."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    offset: Annotated[int, Field(ge=0, lt=MAX_RESULT_WINDOW)] = 0
    size: Annotated[int, Field(ge=0, le=MAX_PAGE_SIZE)] = 20
    after: Annotated[list[CursorValue], Field(max_length=4)] | None = None

    @model_validator(mode="after")
    def _bounded(self) -> Paging:
        if self.after is not None and self.offset:
            raise ValueError("a cursor continues from its position: no offset with it")
        if self.after is None and self.offset + self.size > MAX_RESULT_WINDOW:
            raise ValueError(
                f"offset + size may reach {MAX_RESULT_WINDOW}; page deeper with the cursor"
            )
        return self


class Grouping(BaseModel):
    """Variant grouping: at most `size` hits per `group_id` (0: not grouped), and how to count.

    A grouped search counts groups in its total, and in its facet values when
    `facets` says so (Algolia's `facetingAfterDistinct`); see read_api/query/grouping.py.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    size: Annotated[int, Field(ge=0, le=MAX_GROUP_HITS)] = 0
    facets: bool = False


class SearchQuery(BaseModel):
    """One search: text, browse scope, filters, facets, sort, paging, highlighting."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: Annotated[str, StringConstraints(max_length=MAX_QUERY_CHARS)] = ""
    category: Annotated[str, StringConstraints(min_length=1, max_length=1300)] | None = Field(
        None, description="browse scope, a category path `A > B`: hits and facets stay inside it"
    )
    filters: Annotated[list[Filter], Field(max_length=MAX_FILTERS)] = []
    facets: Annotated[list[FacetRequest], Field(max_length=MAX_FACETS)] = []
    sort: Sort = "relevance"
    paging: Paging = Paging()
    highlight: Highlight = Highlight()
    typo_tolerance: bool = True
    suggest: bool = True
    grouping: Grouping = Grouping()
    # set by the query rules that fired (read_api/rules), never by a client
    merchandising: Merchandising = Field(default_factory=lambda: _no_merchandising())
    # texts the synonym sets make of `text`, matched too (read_api/synonyms), never by a client
    alternatives: Annotated[list[str], Field(max_length=MAX_ALTERNATIVES)] = []

    @model_validator(mode="after")
    def _grouped_pages_by_number(self) -> SearchQuery:
        if self.grouping.size and self.paging.after is not None:
            raise ValueError("grouped results are paged by number, not by cursor")
        return self

    @field_validator("category")
    @classmethod
    def _category_depth(cls, value: str | None) -> str | None:
        if value is not None and value.count(CATEGORY_SEPARATOR) >= MAX_CATEGORY_DEPTH:
            raise ValueError("a category path has at most 6 names")
        return value

    @field_validator("facets")
    @classmethod
    def _distinct_facets(cls, value: list[FacetRequest]) -> list[FacetRequest]:
        if len({f.field for f in value}) != len(value):
            raise ValueError("each facet may be requested once")
        return value


def _no_merchandising() -> Merchandising:
    return Merchandising()


# last: merchandising's boosts are filters of this module, and SearchQuery holds them
from read_api.query.merchandising import Merchandising  # noqa: E402

SearchQuery.model_rebuild()
