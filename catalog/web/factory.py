"""Composition root of an HTTP API: settings, clients, middleware, handlers, routers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.telemetry import TelemetryConfig

from catalog.clients import Clients
from catalog.logs import configure_logging
from catalog.settings import Settings
from catalog.web import health, metrics
from catalog.web.body_limit import BodyLimitMiddleware, BodyLimits
from catalog.web.errors import install_error_handlers
from catalog.web.middleware import RequestContextMiddleware
from catalog.web.security_headers import SecurityHeadersMiddleware, security_headers
from catalog.web.swagger_docs import add_docs_route

# FastAPI's OpenTelemetry hooks: off, so no request pays to ask whether a provider is
# configured (3 % of a cached search); the services export Prometheus metrics instead
NO_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
}

# any route may find a dependency down or too slow: documented on all of them
DEPENDENCY_RESPONSES: dict[int | str, dict[str, str]] = {
    503: {"description": "a dependency is unreachable or too slow; retry after Retry-After"},
}
# start-up/shutdown work of one API, run after its clients exist
LifespanHook = Callable[[FastAPI, Clients], AbstractAsyncContextManager[None]]


def build_app(
    *,
    api_name: str,
    title: str,
    description: str,
    settings: Settings,
    routers: Iterable[APIRouter] = (),
    lifespan_hooks: Iterable[LifespanHook] = (),
    body_limits: BodyLimits | None = None,
) -> FastAPI:
    """Create an API whose clients are opened at start-up and closed at shutdown.

    Middleware, outermost first: request id and access log, security headers,
    body limits. An API appends its own inside these (`app.user_middleware.append`,
    as the read API's rate limit and hit path are), so their answers and every
    413 are logged and carry the headers too.
    """
    hooks = list(lifespan_hooks)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        clients = Clients.from_settings(settings)
        app.state.clients = clients
        try:
            async with AsyncExitStack() as stack:
                for hook in hooks:
                    await stack.enter_async_context(hook(app, clients))
                yield
        finally:
            await clients.close()

    configure_logging(settings.log_level)
    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # add_docs_route: the same page, with its own CSP
        redoc_url=None,
        telemetry=NO_TELEMETRY,
    )
    app.state.settings = settings
    # add_middleware puts each outside the ones before it
    limits = body_limits or BodyLimits(settings.max_body_bytes)
    app.add_middleware(BodyLimitMiddleware, limits=limits)
    app.add_middleware(
        SecurityHeadersMiddleware, headers=security_headers(settings.csp_img_sources)
    )
    app.add_middleware(
        RequestContextMiddleware,
        api_name=api_name,
        trusted_proxies=settings.rate_limit_trusted_proxies,
    )
    add_docs_route(app)
    install_error_handlers(app, settings.retry_after_s)
    app.include_router(health.router)
    app.include_router(metrics.router)
    for router in routers:
        app.include_router(router, responses=DEPENDENCY_RESPONSES)  # a route's own 503 wins
    return app
