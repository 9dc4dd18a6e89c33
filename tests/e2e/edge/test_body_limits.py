"""Body limits on the running APIs: refused before they are read, cut while they are read.

"Before it is read" is shown without clocks: the client declares far more than
it sends (or keeps sending a chunked body) and the 413 arrives while most of
the body is still unsent.
"""

from __future__ import annotations

import httpx
import orjson
import pytest

from analytics.insights_model import MAX_BODY_BYTES as INSIGHTS_MAX_BODY_BYTES
from catalog.settings import Settings
from tests.e2e.conftest import Keys, api_url
from tests.e2e.edge.raw_http import claim_more_than_sent, endless_chunked

ELEVEN_MB = 11 * 1024 * 1024
ENDLESS = 64 * 1024 * 1024  # what a chunked client would send if nobody stopped it
READ_POST_ROUTES = [
    "/1/indexes/*/queries",
    "/1/indexes/products/query",
    "/1/indexes/products/facets/brand/query",
    "/1/indexes/*/objects",
    "/v1/search",
]


def _auth(keys: Keys) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys.editor}"}


@pytest.mark.parametrize(
    ("api", "method", "path"),
    [("read_api", "POST", "/v1/search"), ("write_api", "PUT", "/v1/products/EDGE-X:bulk")],
)
def test_11_mb_declared_is_413_before_the_body_is_sent(
    settings: Settings, keys: Keys, api: str, method: str, path: str
) -> None:
    port = settings.read_api_port if api == "read_api" else settings.write_api_port
    answer = claim_more_than_sent(port, method, path, ELEVEN_MB, _auth(keys))
    assert answer.status == 413, answer
    assert answer.sent < 100  # answered while all but a few bytes were still unsent
    assert "at most" in orjson.loads(answer.body)["detail"]
    assert answer.headers["connection"] == "close"


@pytest.mark.parametrize(
    ("api", "method", "path"),
    [("read_api", "POST", "/v1/search"), ("write_api", "PUT", "/v1/products/EDGE-X:bulk")],
)
def test_a_chunked_body_that_keeps_going_is_cut(
    settings: Settings, keys: Keys, api: str, method: str, path: str
) -> None:
    port = settings.read_api_port if api == "read_api" else settings.write_api_port
    limit = settings.read_max_body_bytes if api == "read_api" else settings.max_body_bytes
    answer = endless_chunked(port, method, path, ENDLESS, _auth(keys))
    assert answer.sent < ENDLESS  # the server stopped the client long before the end
    assert answer.sent >= limit  # ... but not before the limit
    assert answer.status == 413, answer
    assert "at most" in orjson.loads(answer.body)["detail"]


@pytest.mark.parametrize("path", [*READ_POST_ROUTES, "/1/events"])
def test_every_read_post_route_is_bounded(settings: Settings, path: str) -> None:
    limit = INSIGHTS_MAX_BODY_BYTES if path == "/1/events" else settings.read_max_body_bytes
    origin = {"Origin": "https://shop.example"}
    answer = claim_more_than_sent(settings.read_api_port, "POST", path, limit + 1, origin)
    assert answer.status == 413, answer
    body = orjson.loads(answer.body)
    if path.startswith("/1/"):  # Algolia's error shape on its paths
        assert body["status"] == 413, body
        assert "at most" in body["message"], body
        assert answer.headers["access-control-allow-origin"] == "*"
    else:
        assert "at most" in body["detail"]


def test_a_multi_query_as_large_as_the_read_limit_is_answered(
    settings: Settings, read_api: httpx.Client
) -> None:
    request = {"requests": [{"indexName": "products", "query": "hülle", "hitsPerPage": 1}]}
    raw = orjson.dumps(request)
    padded = raw + b" " * (settings.read_max_body_bytes - len(raw))
    answer = read_api.post("/1/indexes/*/queries", content=padded)
    assert answer.status_code == 200, answer.text


def test_the_bulk_import_takes_a_body_over_the_default_limit(
    settings: Settings, keys: Keys
) -> None:
    # a few long lines (whitespace inside JSON) make a body past max_body_bytes cheaply
    pad = b" " * (settings.bulk_max_line_bytes - 200)
    lines = [b'{"op":"delete",' + pad + b'"id":"EDGE-BULK-%d"}\n' % n for n in range(12)]
    body = b"".join(lines)
    assert len(body) > settings.max_body_bytes
    with httpx.Client(base_url=api_url(settings, "write_api"), timeout=120) as client:
        answer = client.post(
            "/v1/products:bulk",
            content=body,
            headers={**_auth(keys), "Content-Type": "application/x-ndjson"},
        )
    assert answer.status_code == 200, answer.text[:500]
    results = [orjson.loads(line) for line in answer.text.splitlines()]
    summary = results[-1]["summary"]
    assert summary["lines"] == len(lines), summary
    assert "aborted" not in summary
