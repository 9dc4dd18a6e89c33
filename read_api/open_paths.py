"""The read API's paths that answer whoever asks: probes, scrapes, the schema, the storefront,
its images."""

from __future__ import annotations

# the storefront's bundled files (read_api.storefront serves them)
ASSET_PREFIX = "/storefront/"
# product images (read_api.image_serving): content-addressed, public like the page
IMAGE_PREFIX = "/images/"
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/openapi.json", "/"})
OPEN_PREFIXES = ("/docs", ASSET_PREFIX, IMAGE_PREFIX)


def is_open(path: str) -> bool:
    """Whether a path answers without a key, even in a private shop."""
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)
