"""The read API's paths that answer whoever asks: probes, scrapes, the schema, the storefront."""

from __future__ import annotations

# the storefront's bundled files (read_api.storefront serves them)
ASSET_PREFIX = "/storefront/"
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/openapi.json", "/"})
OPEN_PREFIXES = ("/docs", ASSET_PREFIX)


def is_open(path: str) -> bool:
    """Whether a path answers without a key, even in a private shop."""
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)
