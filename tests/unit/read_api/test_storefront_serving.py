"""Serving the storefront's build: the page, its hashed assets, and a clear 503 without a build."""

from __future__ import annotations

import gzip
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from catalog.settings import Settings
from read_api.app import create_app
from read_api.storefront import BUILD_COMMAND, accepts_gzip, is_asset_name, storefront_router

PAGE = b'<!doctype html><script type="module" src="/storefront/app-ABC123.js"></script>'
SCRIPT = b"console.log('storefront');" * 50


def _client(dist: Path) -> httpx.AsyncClient:
    app = FastAPI()
    app.include_router(storefront_router(dist))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop")


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A dist folder as build.mjs writes it."""
    assets = tmp_path / "assets"
    assets.mkdir()
    (tmp_path / "index.html").write_bytes(PAGE)
    (assets / "app-ABC123.js").write_bytes(SCRIPT)
    (assets / "app-ABC123.js.gz").write_bytes(gzip.compress(SCRIPT))
    (assets / "style-DEF456.css").write_bytes(b"body{margin:0}")
    return tmp_path


async def test_the_page_is_served_and_revalidated(built: Path) -> None:
    client = _client(built)
    response = await client.get("/")
    assert response.status_code == 200
    assert response.content == PAGE
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    etag = response.headers["etag"]
    again = await client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


async def test_a_new_build_changes_the_page_tag(built: Path) -> None:
    client = _client(built)
    before = (await client.get("/")).headers["etag"]
    (built / "index.html").write_bytes(PAGE.replace(b"ABC123", b"XYZ789"))
    after = await client.get("/", headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after.headers["etag"] != before


async def test_hashed_assets_are_cached_for_a_year(built: Path) -> None:
    response = await _client(built).get("/storefront/style-DEF456.css")
    assert response.status_code == 200
    assert response.content == b"body{margin:0}"
    assert response.headers["content-type"].startswith("text/css")
    assert "max-age=31536000" in response.headers["cache-control"]
    assert "immutable" in response.headers["cache-control"]


async def test_the_gzip_twin_goes_to_clients_that_accept_it(built: Path) -> None:
    client = _client(built)
    zipped = await client.get("/storefront/app-ABC123.js", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == SCRIPT  # the client decoded it
    assert "javascript" in zipped.headers["content-type"]
    assert zipped.headers["vary"] == "Accept-Encoding"
    plain = await client.get("/storefront/app-ABC123.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == SCRIPT


@pytest.mark.parametrize(
    "path",
    [
        "/storefront/missing-0000.js",
        "/storefront/app-ABC123.js.gz",  # the twin is never named directly
        "/storefront/..%2Findex.html",
        "/storefront/.hidden",
    ],
)
async def test_anything_else_under_the_prefix_is_404(built: Path, path: str) -> None:
    assert (await _client(built).get(path)).status_code == 404


async def test_without_a_build_the_page_is_503_naming_the_build_command(tmp_path: Path) -> None:
    response = await _client(tmp_path / "dist").get("/")
    assert response.status_code == 503
    assert BUILD_COMMAND in response.text
    missing = await _client(tmp_path / "dist").get("/storefront/app-ABC123.js")
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, False),
        ("", False),
        ("gzip", True),
        ("br, gzip;q=0.8", True),
        ("GZIP", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip; q=0.0", False),
        ("identity", False),
    ],
)
def test_accepts_gzip(header: str | None, expected: bool) -> None:
    assert accepts_gzip(header) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("app-LB7SWQ6X.js", True),
        ("style-SC22MZTC.css.map", True),
        ("app-LB7SWQ6X.js.gz", False),
        (".env", False),
        ("..", False),
        ("a/b.js", False),
        ("x" * 200, False),
    ],
)
def test_is_asset_name(name: str, expected: bool) -> None:
    assert is_asset_name(name) is expected


def test_the_storefront_stays_out_of_the_openapi_schema() -> None:
    paths = create_app(Settings()).openapi()["paths"]
    assert "/" not in paths
    assert not [path for path in paths if path.startswith("/storefront")]
