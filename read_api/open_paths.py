"""The read API's paths that answer whoever asks: probes, scrapes, the schema, the storefront."""

from __future__ import annotations

# the storefront's bundled files (read_api.storefront serves them)
ASSET_PREFIX = "/storefront/"
# product images (read_api.image_serving): content-addressed, public like the page
IMAGE_PREFIX = "/images/"
# operations endpoints: they answer whatever the load, so no rate limit refuses them
OPERATIONS_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/openapi.json"})
OPERATIONS_PREFIXES = ("/docs",)
OPEN_PATHS = OPERATIONS_PATHS | {"/"}
OPEN_PREFIXES = (*OPERATIONS_PREFIXES, ASSET_PREFIX, IMAGE_PREFIX)


def is_open(path: str) -> bool:
    """Whether a path answers without a key, even in a private shop."""
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def is_operations(path: str) -> bool:
    """Whether a path is a probe, a scrape, the schema or the docs (never rate limited)."""
    return path in OPERATIONS_PATHS or path.startswith(OPERATIONS_PREFIXES)
