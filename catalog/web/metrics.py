"""Prometheus metrics of the HTTP layer and the /metrics endpoint."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

HTTP_REQUESTS = Counter(
    "catalog_http_requests_total",
    "HTTP requests answered, by API, method, route template and status",
    ["api", "method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "catalog_http_request_duration_seconds",
    "Time from request start to the end of the response body",
    ["api", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

router = APIRouter(tags=["operations"])


@router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    """Expose this process's metrics in the Prometheus text format."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
