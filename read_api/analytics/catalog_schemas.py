"""The answers of the catalog analytics endpoints (response models, documented in OpenAPI)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

PriceField = Literal["price", "effective_price"]


class PriceStats(BaseModel):
    """Lowest, highest, average and summed price of the products counted."""

    min: float | None
    max: float | None
    avg: float | None
    sum: float


class CatalogMetrics(BaseModel):
    """Counts and money of a set of active products."""

    products: int
    price: PriceStats
    stock_units: int = Field(description="sum of the products' stock")
    stock_value: float = Field(description="sum of price * stock, exact to the cent")
    out_of_stock: int = Field(description="products with stock 0")
    out_of_stock_share: float | None = Field(description="out_of_stock / products (null: none)")


class CatalogSummary(CatalogMetrics):
    """The metrics of every active product in scope."""

    price_field: PriceField


class CatalogGroup(CatalogMetrics):
    """The metrics of the products holding one value."""

    value: str = Field(description="the value, usable in a `filter` on the grouped field")
    label: str = Field(description="what to show (attributes: the most common spelling)")


class CatalogGroups(BaseModel):
    """Metrics per value of a field, the largest groups first.

    A product with several values (category paths, list attributes) counts in each.
    """

    by: str
    price_field: PriceField
    products: int = Field(description="active products in scope, grouped or not")
    groups: list[CatalogGroup]
    other_count: int = Field(description="products in groups not shown (counted per group)")


class HistogramBucket(BaseModel):
    """Products whose price lies in [gte, lt)."""

    gte: float
    lt: float
    products: int
    stock_value: float


class PriceHistogram(BaseModel):
    """Products per price interval, every interval between the lowest and the highest price."""

    price_field: PriceField
    interval: float
    products: int
    buckets: list[HistogramBucket]
