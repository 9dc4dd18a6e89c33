"""The internal search query: what a shopper asks, independent of HTTP and of Algolia.

The native REST routes and the Algolia protocol layer both translate into
`SearchQuery`; the builders turn it into an Elasticsearch request. Field names
are checked against the field catalog here, so a query that validates can be built.
"""

from __future__ import annotations

import math
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

from catalog.products.model import MAX_ATTRIBUTE_STRING, MAX_CATEGORY_DEPTH
from read_api.query.fields import CATEGORY_SEPARATOR, facet_spec, resolve

MAX_QUERY_CHARS = 512
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000  # the index's max_result_window: deeper needs the cursor
MAX_FILTERS = 64
MAX_FILTER_VALUES = 100
MAX_FACETS = 20
MAX_FACET_VALUES = 100
MAX_RANGE_BOUNDARIES = 20
MAX_TAG_CHARS = 64

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
        return "range" if {"gte", "gt", "lte", "lt"} & value.keys() else "terms"
    return "range" if isinstance(value, RangeFilter) else "terms"


Filter = Annotated[
    Annotated[TermsFilter, Tag("terms")] | Annotated[RangeFilter, Tag("range")],
    Discriminator(_filter_kind),
]


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
