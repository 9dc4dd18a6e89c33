"""The public shapes of the read API's answers (response models, documented in OpenAPI).

A hit is defined field by field: nothing from the index reaches a client
unless it is named here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, StrictBool

AttributeValue = StrictBool | int | float | str | list[str]


class Thumbnail(BaseModel):
    """A resized copy of an uploaded image."""

    url: str
    width: int
    height: int
    content_type: str


class Image(BaseModel):
    """A product image: an external one has only `url` (and `alt`); an uploaded one its
    `id`, size and, once the workers made them, its thumbnails."""

    id: str | None = None
    url: str
    alt: str | None = None
    width: int | None = None
    height: int | None = None
    thumbnails: list[Thumbnail] = []


class Hit(BaseModel):
    """A product as shoppers see it."""

    id: str
    title: str
    description: str | None = None
    brand: str | None = None
    categories: list[list[str]] = Field(description="category paths, root first")
    group_id: str | None = Field(
        None, description="the product's variant group (its own id when it has no group_id)"
    )
    variants: int | None = Field(
        None,
        description="grouped searches only: how many products of this hit's group match the "
        "search (its colours or sizes)",
    )
    price: float
    sale_price: float | None = None
    effective_price: float = Field(description="what the shopper pays: the sale price if on sale")
    on_sale: bool
    stock: int
    in_stock: bool
    rating: float | None = None
    review_count: int | None = None
    attributes: dict[str, AttributeValue] = {}
    images: list[Image] = []
    image: str | None = Field(
        None, description="the first image's first thumbnail, or its own URL until it has one"
    )
    created_at: datetime | None = None
    updated_at: datetime | None = None
    highlights: dict[str, str] = Field(
        {},
        description="title, brand and description with matched words between the highlight "
        "tags; the text around the tags is HTML-escaped",
    )


class FacetValue(BaseModel):
    """One value of a facet and how many hits it would give."""

    value: str = Field(description="the value to filter on")
    label: str = Field(description="what to show (for categories: the last name of the path)")
    count: int
    selected: bool = False


class NumericStats(BaseModel):
    """Minimum, maximum, average and sum of a numeric field over the hits."""

    count: int
    min: float | None
    max: float | None
    avg: float | None
    sum: float


class RangeBucket(BaseModel):
    """Hits whose value lies in [gte, lt)."""

    gte: float | None
    lt: float | None
    count: int
    filter: str = Field(description="the `filter` parameter that selects this bucket")


class Facet(BaseModel):
    """Counts of one facet; which parts are present depends on its kind."""

    kind: Literal["terms", "numeric", "hierarchical"]
    values: list[FacetValue] = Field(
        [], description="terms facets, and the distinct values of numeric attributes"
    )
    stats: NumericStats | None = None
    ranges: list[RangeBucket] = []
    levels: list[list[FacetValue]] = Field(
        [], description="hierarchical: the top level, then the children of each selected name"
    )


class SearchResponse(BaseModel):
    """A page of hits with their total, facets, and the cursor to the next page."""

    query: str
    total: int = Field(description="all hits of the query, not only this page")
    page: int | None = Field(description="1-based page number; null when paging by cursor")
    page_size: int
    pages: int = Field(description="pages reachable by number (deeper ones: by cursor)")
    hits: list[Hit]
    facets: dict[str, Facet] = {}
    next_cursor: str | None = Field(description="pass as `cursor` for the hits after these")
    suggestion: str | None = Field(None, description="a corrected query when nothing matched")
    took_ms: int


class Completion(BaseModel):
    """A query the shopper may mean, and how many products it finds."""

    text: str
    highlighted: str
    count: int


class CategoryMatch(BaseModel):
    """A category holding matching products."""

    value: str = Field(description="the path as `A > B`, usable as a categories filter")
    path: list[str]
    count: int


class AutocompleteResponse(BaseModel):
    """Suggestions while typing: completed queries, products and categories."""

    query: str
    completions: list[Completion]
    products: list[Hit]
    categories: list[CategoryMatch]


class FacetValueMatch(FacetValue):
    """A facet value found by typing, with the typed part marked."""

    highlighted: str = Field(description="HTML-escaped, the typed part between the tags")


class FacetValuesResponse(BaseModel):
    """Values of one facet that start with the typed text, counted under the current search."""

    facet: str
    values: list[FacetValueMatch]
