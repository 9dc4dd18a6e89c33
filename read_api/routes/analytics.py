"""`/v1/analytics/…`: catalog metrics over the read model, and what shoppers search for."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from analytics.events import INSIGHTS, events_pattern
from analytics.search_queries import MAX_QUERIES
from analytics.search_schemas import ClickAnalytics, SearchVolume, TopQueries
from catalog.web.deps import ClientsDep
from read_api.access import require
from read_api.analytics import views
from read_api.analytics.catalog_queries import MAX_GROUPS
from read_api.analytics.catalog_schemas import CatalogGroups, CatalogSummary, PriceHistogram
from read_api.analytics.params import (
    CatalogScopeDep,
    GroupByDep,
    IntervalDep,
    Period,
    SinceDep,
    VolumeIntervalDep,
    since,
)
from read_api.deps import ReadModelDep
from read_api.query.model import MAX_QUERY_CHARS
from read_api.routes.responses import READ_ERRORS
from read_api.views import ReadModel

# analytics show stock value, prices and what shoppers search for: analysts and admins only
router = APIRouter(
    prefix="/v1/analytics",
    tags=["analytics"],
    dependencies=[require("read_analytics")],
    responses={
        401: {"description": "no API key"},
        403: {"description": "the key's role may not read analytics"},
    },
)

Limit = Annotated[int, Query(ge=1, le=MAX_QUERIES, description="queries to list")]
Prefix = Annotated[
    str, Query(max_length=MAX_QUERY_CHARS, description="only queries starting with this text")
]


async def get_events_model(clients: ClientsDep) -> ReadModel:
    """The search-event indices over this process's Elasticsearch client."""
    settings = clients.settings
    pattern = events_pattern(settings.es_index_prefix)
    return ReadModel(clients.es, pattern, settings.search_timeout_s)


async def get_insights_model(clients: ClientsDep) -> ReadModel:
    """The Insights-event indices (clicks, conversions, views) over the same client."""
    settings = clients.settings
    pattern = events_pattern(settings.es_index_prefix, INSIGHTS)
    return ReadModel(clients.es, pattern, settings.search_timeout_s)


EventsDep = Annotated[ReadModel, Depends(get_events_model)]
InsightsDep = Annotated[ReadModel, Depends(get_insights_model)]
OneQuery = Annotated[
    str, Query(max_length=MAX_QUERY_CHARS, description="only searches of this query")
]


@router.get("/catalog", responses=READ_ERRORS)
async def catalog_summary(model: ReadModelDep, scope: CatalogScopeDep) -> CatalogSummary:
    """Active products in scope: count, price stats, stock value, out-of-stock share."""
    return await views.catalog_summary(model, scope)


@router.get("/catalog/groups", responses=READ_ERRORS)
async def catalog_groups(
    model: ReadModelDep,
    scope: CatalogScopeDep,
    by: GroupByDep,
    size: Annotated[int, Query(ge=1, le=MAX_GROUPS, description="groups to show")] = 10,
) -> CatalogGroups:
    """The same metrics per brand, category level or attribute value, largest groups first."""
    return await views.catalog_groups(model, scope, by, size)


@router.get("/catalog/price-histogram", responses=READ_ERRORS)
async def price_histogram(
    model: ReadModelDep, scope: CatalogScopeDep, interval: IntervalDep
) -> PriceHistogram:
    """Products and stock value per price interval [gte, lt)."""
    return await views.price_histogram(model, scope, interval)


@router.get("/searches/top", responses=READ_ERRORS)
async def top_queries(
    events: EventsDep, start: SinceDep, limit: Limit = 20, prefix: Prefix = ""
) -> TopQueries:
    """The most searched queries (normalised: lower case, single spaces) of the period."""
    return await views.top_queries(events, start, limit, prefix=prefix, no_results_only=False)


@router.get("/searches/no-results", responses=READ_ERRORS)
async def no_result_queries(
    events: EventsDep, start: SinceDep, limit: Limit = 20, prefix: Prefix = ""
) -> TopQueries:
    """The queries searched most often without finding anything."""
    return await views.top_queries(events, start, limit, prefix=prefix, no_results_only=True)


@router.get("/searches/volume", responses=READ_ERRORS)
async def search_volume(
    events: EventsDep,
    interval: VolumeIntervalDep,
    period: Period = "24h",
    q: OneQuery = "",
    kind: Annotated[
        Literal["search", "listing", "algolia"] | None,
        Query(
            description="only native searches with words, category listings, or searches "
            "over the Algolia protocol"
        ),
    ] = None,
) -> SearchVolume:
    """Searches (and those without results) per interval, empty intervals included."""
    until = datetime.now(UTC)
    return await views.search_volume(events, since(period), until, interval, query=q, kind=kind)


@router.get("/searches/clicks", responses=READ_ERRORS)
async def click_analytics(
    events: EventsDep, insights: InsightsDep, start: SinceDep, q: OneQuery = ""
) -> ClickAnalytics:
    """Click-through rate, conversion rate and click positions of searches with a queryID.

    Searches count when they were answered with a queryID (`clickAnalytics=true`);
    clicks and conversions when `POST /1/events` named that queryID. Per-query
    rates are also in `/searches/top`.
    """
    return await views.click_analytics(events, insights, start, query=q)
