"""The read API (query side): storefronts, InstantSearch and analysts query it."""

from __future__ import annotations

from fastapi import FastAPI

from analytics.insights_model import MAX_BODY_BYTES as INSIGHTS_MAX_BODY_BYTES
from catalog.settings import Settings, get_settings
from catalog.web.body_limit import BodyLimits
from catalog.web.factory import build_app
from read_api.algolia.errors import error_shape
from read_api.algolia.install import install_algolia
from read_api.analytics.search_logging import search_log_lifespan
from read_api.errors import install_search_handlers
from read_api.guards import install_rate_limits, redis_guards
from read_api.image_serving import image_store
from read_api.image_serving import router as image_router
from read_api.routes import analytics, autocomplete, facets, listing, products, search
from read_api.routes import insights as insights_routes
from read_api.rules.book import rules_lifespan
from read_api.search_settings.book import settings_lifespan
from read_api.storefront import storefront_router
from read_api.synonyms.book import synonyms_lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the read API; uvicorn calls this as a factory."""
    settings = settings or get_settings()
    app = build_app(
        api_name="read_api",
        title="catalog-search read API",
        description="Query side: faceted full-text search, listings, autocomplete and "
        "analytics over the Elasticsearch read model, behind a Redis cache. Only active "
        "products are visible.",
        settings=settings,
        routers=[
            search.router,
            autocomplete.router,
            facets.router,
            listing.router,
            products.router,
            analytics.router,
            insights_routes.router,
            storefront_router(),
            image_router,
        ],
        lifespan_hooks=[
            search_log_lifespan,
            redis_guards,
            image_store,
            rules_lifespan,
            synonyms_lifespan,
            settings_lifespan,
        ],
        body_limits=BodyLimits(
            settings.read_max_body_bytes,
            routes={("POST", "/1/events"): INSIGHTS_MAX_BODY_BYTES},
            shape=error_shape,
        ),
    )
    install_search_handlers(app, settings.retry_after_s)
    install_rate_limits(app)
    install_algolia(app)
    return app
