"""The analytics views: each runs the requests built by the pure analytics builders."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from analytics import click_queries as clicks
from analytics import search_queries as searches
from analytics.search_schemas import ClickAnalytics, SearchVolume, TopQueries
from read_api.analytics import catalog_groups as groups
from read_api.analytics import catalog_queries as catalog
from read_api.analytics.catalog_schemas import CatalogGroups, CatalogSummary, PriceHistogram
from read_api.errors import InvalidQuery
from read_api.views import ReadModel


async def catalog_summary(model: ReadModel, scope: catalog.CatalogScope) -> CatalogSummary:
    """Count, prices, stock value and out-of-stock share of the active products in scope."""
    found = catalog.summary_metrics(await model.run(catalog.summary_body(scope)))
    return CatalogSummary(**found.model_dump(), price_field=scope.price_field)


async def catalog_groups(
    model: ReadModel, scope: catalog.CatalogScope, by: groups.Grouping, size: int
) -> CatalogGroups:
    """The metrics of the `size` largest groups of products sharing a value."""
    response = await model.run(groups.groups_body(scope, by, size))
    found, other = groups.groups_from(response, by, size)
    return CatalogGroups(
        by=by.name,
        price_field=scope.price_field,
        products=int(response["hits"]["total"]["value"]),
        groups=found,
        other_count=other,
    )


async def price_histogram(
    model: ReadModel, scope: catalog.CatalogScope, interval: float
) -> PriceHistogram:
    """Products and stock value per price interval; too narrow an interval is a 422."""
    # the extremes first: a narrow interval over a wide range would make too many buckets
    summary = catalog.summary_metrics(await model.run(catalog.summary_body(scope)))
    low, high = summary.price.min, summary.price.max
    if (
        low is not None
        and high is not None
        and catalog.histogram_bucket_count(low, high, interval) > catalog.MAX_HISTOGRAM_BUCKETS
    ):
        smallest = catalog.smallest_interval(low, high)
        raise InvalidQuery(
            ("query", "interval"),
            f"at most {catalog.MAX_HISTOGRAM_BUCKETS} buckets: use an interval of at "
            f"least {smallest:g} for prices from {low:g} to {high:g}",
        )
    response = await model.run(catalog.histogram_body(scope, interval))
    return PriceHistogram(
        price_field=scope.price_field,
        interval=interval,
        products=int(response["hits"]["total"]["value"]),
        buckets=catalog.histogram_buckets(response, interval),
    )


async def top_queries(
    events: ReadModel, since: datetime, limit: int, *, prefix: str, no_results_only: bool
) -> TopQueries:
    """The most searched queries since `since` (or those that found nothing)."""
    body = searches.top_queries_body(since, limit, prefix=prefix, no_results_only=no_results_only)
    total, stats = searches.query_stats(await events.run(body))
    return TopQueries(since=since, searches=total, queries=stats)


async def search_volume(
    events: ReadModel,
    since: datetime,
    until: datetime,
    interval: tuple[str, timedelta],
    *,
    query: str,
    kind: str | None,
) -> SearchVolume:
    """Searches per interval from `since` to `until`."""
    text, width = interval
    if searches.volume_bucket_count(until - since, width) > searches.MAX_VOLUME_BUCKETS:
        raise InvalidQuery(
            ("query", "interval"),
            f"at most {searches.MAX_VOLUME_BUCKETS} intervals per period: widen the interval",
        )
    body = searches.volume_body(since, until, text, query=query, kind=kind)
    total, empty, buckets = searches.volume(await events.run(body))
    return SearchVolume(
        since=since, interval=text, searches=total, no_results=empty, buckets=buckets
    )


async def click_analytics(
    events: ReadModel, insights: ReadModel, since: datetime, *, query: str
) -> ClickAnalytics:
    """Click-through and conversion rates, clicks per position, since `since`."""
    rates, positions = await asyncio.gather(
        events.run(clicks.rates_body(since, query=query)),
        insights.run(clicks.positions_body(since, query=query)),
    )
    return clicks.click_analytics(since, query, rates, positions)
