"""HTTP input of the analytics endpoints: the catalog scope, periods and intervals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Query
from pydantic import ValidationError

from analytics.search_queries import parse_duration
from catalog.index_fields import CATEGORY_SEPARATOR
from catalog.products.model import MAX_CATEGORY_DEPTH
from catalog.web.deps import inline
from read_api.analytics.catalog_groups import Grouping, grouping
from read_api.analytics.catalog_queries import MAX_HISTOGRAM_BUCKETS, CatalogScope
from read_api.analytics.catalog_schemas import PriceField
from read_api.errors import InvalidQuery
from read_api.filter_syntax import FilterSyntaxError, error_message, parse_filter
from read_api.params import FILTER_HELP, Category
from read_api.query.fields import UnknownField
from read_api.query.model import MAX_FILTERS, Filter


def _filters(texts: list[str]) -> list[Filter]:
    if len(texts) > MAX_FILTERS:
        raise InvalidQuery(("query", "filter"), f"at most {MAX_FILTERS} filters")
    parsed = []
    for index, text in enumerate(texts):
        try:
            parsed.append(parse_filter(text))
        except (FilterSyntaxError, ValidationError, ValueError) as exc:
            raise InvalidQuery(("query", "filter", index), error_message(exc)) from None
    return parsed


def catalog_scope(
    filter_: Annotated[list[str], Query(alias="filter", description=FILTER_HELP)] = [],  # noqa: B006
    category: Category = None,
    price_field: Annotated[
        PriceField,
        Query(description="the price to count: list `price` or what shoppers pay"),
    ] = "price",
) -> CatalogScope:
    """Which active products the catalog analytics count: the search's filters and scope."""
    if category is not None and category.count(CATEGORY_SEPARATOR) >= MAX_CATEGORY_DEPTH:
        raise InvalidQuery(("query", "category"), "a category path has at most 6 names")
    return CatalogScope(filters=_filters(filter_), category=category, price_field=price_field)


def group_by(
    by: Annotated[
        str,
        Query(
            max_length=80,
            description="`brand`, `categories.lvl0` … `categories.lvl5` (`categories`: the top "
            "level), `in_stock`, `on_sale` or `attributes.<name>`",
        ),
    ],
) -> Grouping:
    """The field to group by, checked."""
    try:
        return grouping(by)
    except UnknownField as exc:
        raise InvalidQuery(("query", "by"), str(exc)) from None


def histogram_interval(
    interval: Annotated[
        float,
        Query(
            ge=0.01,
            le=10_000_000,
            description=f"bucket width; at most {MAX_HISTOGRAM_BUCKETS} buckets between the "
            "lowest and the highest price",
        ),
    ] = 10.0,
) -> float:
    """The price interval, in whole cents."""
    if abs(round(interval * 100) - interval * 100) > 1e-6:
        raise InvalidQuery(("query", "interval"), "an interval is a whole number of cents")
    return round(interval * 100) / 100


def _duration(text: str, name: str) -> timedelta:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise InvalidQuery(("query", name), str(exc)) from None


Period = Annotated[
    str, Query(max_length=8, description="how far back from now: `30m`, `24h`, `7d`, …")
]


def since(period: str) -> datetime:
    """The start of a period ending now."""
    return datetime.now(UTC) - _duration(period, "period")


def period_start(period: Period = "7d") -> datetime:
    """The start of the period, counted back from now."""
    return since(period)


def volume_interval(
    interval: Annotated[
        str, Query(max_length=8, description="width of each bucket: `1m`, `1h`, `1d`, …")
    ] = "1h",
) -> tuple[str, timedelta]:
    """A bucket width as Elasticsearch writes it, and as a timedelta."""
    return interval, _duration(interval, "interval")


CatalogScopeDep = Annotated[CatalogScope, Depends(inline(catalog_scope))]
GroupByDep = Annotated[Grouping, Depends(inline(group_by))]
IntervalDep = Annotated[float, Depends(inline(histogram_interval))]
SinceDep = Annotated[datetime, Depends(inline(period_start))]
VolumeIntervalDep = Annotated[tuple[str, timedelta], Depends(inline(volume_interval))]
