"""The read cache over HTTP: byte-identical hits, writes visible through it, 304s, Redis away.

The workers advance the cache generation whenever other tests write, so a
hit is never certain on the next request: the tests repeat a pair of
requests until the second one is served from the cache.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Keys
from tests.e2e.read_api.conftest import IN_DATASET, Catalog
from tests.e2e.write_api.conftest import product
from tests.stack import stack, stopped, wait_for

ATTEMPTS = 20
Request = tuple[str, str, dict[str, Any]]


def _unique_tag() -> str:
    """A highlight tag no other request uses: its answer is not cached yet."""
    return f"<{uuid.uuid4().hex}>"


def _send(client: httpx.Client, request: Request, **headers: str) -> httpx.Response:
    method, path, options = request
    response = client.request(method, path, **options, headers=headers)
    assert response.status_code in (200, 304, 404), response.text
    return response


def _until_hit(client: httpx.Client, first: Request, second: Request) -> tuple[Any, Any]:
    """Send `first`, then `second`, until `second` is a cache hit; both responses."""
    for _ in range(ATTEMPTS):
        one, two = _send(client, first), _send(client, second)
        if two.headers["x-cache"] == "hit":
            return one, two
    raise AssertionError(f"no cache hit in {ATTEMPTS} attempts")


def _search(**params: Any) -> Request:
    return ("GET", "/v1/search", {"params": params})


def test_a_hit_returns_the_same_bytes(read_api: httpx.Client, catalog: Catalog) -> None:
    search = _search(q="hülle", filter=IN_DATASET, highlight_pre_tag=_unique_tag())
    first, again = _until_hit(read_api, search, search)
    assert first.headers["x-cache"] in ("miss", "hit")
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"].startswith("public, max-age=")
    assert "stale-while-revalidate=" in again.headers["cache-control"]
    assert again.json()["total"] > 0


def test_equal_requests_written_differently_share_an_entry(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    tag = _unique_tag()
    filters = [IN_DATASET, "in_stock:true", "effective_price:[5,50)"]
    get = _search(q="kabel", filter=filters, highlight_pre_tag=tag, sort="price_asc")
    reordered = (
        "GET",
        f"/v1/search?highlight_pre_tag={tag}&sort=price_asc&filter=effective_price:[5,50)"
        f"&filter=in_stock:true&filter={IN_DATASET}&q=kabel&page=1",
    )
    first, second = _until_hit(read_api, get, (*reordered, {}))
    assert second.content == first.content
    body = {
        "q": "kabel",
        "sort": "price_asc",
        "highlight": {"pre_tag": tag},
        "filters": [
            {"field": "effective_price", "gte": 5, "lt": 50},
            {"field": "in_stock", "values": [True]},
            {"field": "attributes.dataset", "values": [IN_DATASET.split(":", 1)[1]]},
        ],
    }
    first, posted = _until_hit(read_api, get, ("POST", "/v1/search", {"json": body}))
    assert posted.content == first.content
    assert "etag" not in posted.headers  # POST answers are not for HTTP caches


def test_a_listing_and_its_category_page_share_an_entry(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    tag = _unique_tag()
    listing = ("GET", "/v1/listing", {"params": {"category": "Audio", "highlight_pre_tag": tag}})
    page = ("GET", "/v1/categories/Audio", {"params": {"highlight_pre_tag": tag}})
    first, second = _until_hit(read_api, listing, page)
    assert second.content == first.content


def test_if_none_match_gives_304_without_a_body(read_api: httpx.Client, catalog: Catalog) -> None:
    search = _search(q="ladekabel", filter=IN_DATASET, highlight_pre_tag=_unique_tag())
    for _ in range(ATTEMPTS):
        etag = _send(read_api, search).headers["etag"]
        again = _send(read_api, search, **{"If-None-Match": etag})
        if again.status_code == 304:
            break
    else:
        raise AssertionError("never a 304")
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert "x-cache" in again.headers
    other = _send(read_api, search, **{"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    assert other.content


def test_every_cacheable_endpoint_reports_the_cache(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    for request in _every_endpoint(catalog):
        first, second = _until_hit(read_api, request, request)
        assert second.content == first.content, request


def test_no_cache_from_an_editor_asks_for_a_fresh_answer(
    read_api: httpx.Client, catalog: Catalog, keys: Keys
) -> None:
    search = _search(q="hülle", filter=IN_DATASET, highlight_pre_tag=_unique_tag())
    _until_hit(read_api, search, search)
    editor = {"Cache-Control": "no-cache", "Authorization": f"Bearer {keys.editor}"}
    fresh = _send(read_api, search, **editor)
    assert fresh.headers["x-cache"] == "miss"


def test_no_cache_from_anyone_else_gets_the_cached_answer(
    read_api: httpx.Client, catalog: Catalog, keys: Keys
) -> None:
    search = _search(q="hülle", filter=IN_DATASET, highlight_pre_tag=_unique_tag())
    _until_hit(read_api, search, search)
    for key in (None, keys.search, keys.analyst):
        headers = {"Cache-Control": "no-cache"} | ({"X-API-Key": key} if key else {})
        # a cached answer (stale only if another test's write moved the generation)
        assert _send(read_api, search, **headers).headers["x-cache"] in ("hit", "stale"), key


def test_a_write_becomes_visible_in_search_despite_the_cache(
    read_api: httpx.Client, write_api: httpx.Client, catalog: Catalog
) -> None:
    word = "zq" + "".join(random.choices(string.ascii_lowercase, k=12))
    product_id = f"E2E-CACHE-{uuid.uuid4().hex[:10]}"
    search = {"q": word, "page_size": 5}

    def found() -> dict[str, Any]:
        response = read_api.get("/v1/search", params=search)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    assert found()["total"] == 0  # this answer is cached now
    assert found()["total"] == 0
    body = product(product_id, title=f"Hülle {word}", price=11.0, status="active")
    created = write_api.put(f"/v1/products/{product_id}", json=body)
    assert created.status_code == 201, created.text
    try:
        wait_for(lambda: found()["total"] == 1, 60, "the new product found by search")
        changed = write_api.patch(f"/v1/products/{product_id}", json={"price": 12.5})
        assert changed.status_code == 200, changed.text
        wait_for(lambda: found()["hits"][0]["price"] == 12.5, 60, "the new price in search")

        def detail_price() -> Any:
            return read_api.get(f"/v1/products/{product_id}").json().get("price")

        wait_for(lambda: detail_price() == 12.5, 60, "the new price in the product detail")
    finally:
        write_api.delete(f"/v1/products/{product_id}")
    wait_for(lambda: found()["total"] == 0, 60, "the deleted product gone from search")


def _every_endpoint(catalog: Catalog) -> list[Request]:
    tag = _unique_tag()
    product_id = catalog.active[0]["id"]
    return [
        _search(q="hülle", filter=IN_DATASET, highlight_pre_tag=tag),
        ("POST", "/v1/search", {"json": {"q": "hülle", "highlight": {"pre_tag": tag}}}),
        ("GET", "/v1/listing", {"params": {"category": "Audio", "highlight_pre_tag": tag}}),
        ("GET", "/v1/categories/Audio", {"params": {"highlight_pre_tag": tag}}),
        ("GET", "/v1/autocomplete", {"params": {"q": "hül", "highlight_pre_tag": tag}}),
        ("GET", "/v1/facets/brand/values", {"params": {"q": "sp", "highlight_pre_tag": tag}}),
        ("GET", f"/v1/products/{product_id}", {}),
        ("GET", f"/v1/products/NOPE-{uuid.uuid4().hex[:8]}", {}),
    ]


@pytest.fixture
def redis_stopped() -> Iterator[None]:
    """The test stack's Redis stopped for the test, started again afterwards."""
    with stopped("redis"):
        yield


def test_with_redis_stopped_every_endpoint_answers_without_the_cache(
    read_api: httpx.Client, catalog: Catalog, redis_stopped: None
) -> None:
    for request in _every_endpoint(catalog):
        for _ in range(2):  # the first one finds Redis gone, the second skips it
            response = _send(read_api, request)
            assert response.headers["x-cache"] == "bypass", request
            expected = 404 if "NOPE-" in request[1] else 200
            assert response.status_code == expected, response.text
    stack("start", "redis")
    search = _every_endpoint(catalog)[0]

    def cached_again() -> bool:
        return _send(read_api, search).headers["x-cache"] in ("hit", "miss")

    wait_for(cached_again, 60, "the cache used again after Redis came back")


def _local_hits(read_api: httpx.Client) -> float:
    """The read API's count of hits answered from its in-process tier."""
    metrics = read_api.get("/metrics").text
    for line in metrics.splitlines():
        if line.startswith('catalog_read_cache_requests_total{outcome="hit",tier="local"}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_the_hit_path_answers_with_the_routes_bytes_and_headers(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    search = _search(q="hülle", filter=IN_DATASET, highlight_pre_tag=_unique_tag())
    for _ in range(ATTEMPTS):
        routed = _send(read_api, search)  # remembers the target
        before = _local_hits(read_api)
        from_memory = _send(read_api, search)
        if from_memory.headers["x-cache"] == "hit" and _local_hits(read_api) == before + 1:
            break
    else:
        raise AssertionError("never answered from memory")
    assert from_memory.content == routed.content
    same = ("etag", "cache-control", "vary", "content-type")
    assert {h: from_memory.headers[h] for h in same} == {h: routed.headers[h] for h in same}
    assert int(from_memory.headers["age"]) >= 0
    assert from_memory.headers["x-request-id"] != routed.headers["x-request-id"]
    assert "x-ratelimit-remaining" in from_memory.headers  # limited like any request
    for name in ("content-security-policy", "x-frame-options", "x-content-type-options"):
        assert from_memory.headers[name] == routed.headers[name]  # the security headers too


def test_answers_are_gzip_compressed_when_the_client_takes_it(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    search = _search(q="hülle", filter=IN_DATASET, highlight_pre_tag=_unique_tag())
    _until_hit(read_api, search, search)
    method, path, options = search
    compressed = read_api.request(method, path, **options, headers={"Accept-Encoding": "gzip"})
    plain = read_api.request(method, path, **options, headers={"Accept-Encoding": "identity"})
    assert compressed.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert compressed.content == plain.content  # httpx decompressed it: the same answer
    assert int(compressed.headers["content-length"]) < int(plain.headers["content-length"])
    assert compressed.headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    for _ in range(ATTEMPTS):  # the answer may be recomputed (a new tag) in between
        tag = read_api.request(method, path, **options, headers={"Accept-Encoding": "gzip"})
        headers = {"Accept-Encoding": "gzip", "If-None-Match": tag.headers["etag"]}
        if read_api.request(method, path, **options, headers=headers).status_code == 304:
            break
    else:
        raise AssertionError("the gzip tag never revalidated")
