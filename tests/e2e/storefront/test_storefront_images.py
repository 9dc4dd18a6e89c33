"""The storefront's cards load real thumbnails from the configured image host (SeaweedFS via
the read API's /images route), with a WebP srcset, lazily: an upload's, and the demo's drawn
pictures. These tests write products: they run after the storefront's other modules, which
compare the page with the API's answers (a cached answer may lag a write by seconds)."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
from playwright.sync_api import expect

from catalog.demo.picture_book import PictureBook
from catalog.demo.picture_store import store_pictures
from catalog.demo.pictures import PictureSpec
from catalog.settings import Settings
from tests.e2e.conftest import Keys, api_url
from tests.e2e.read_api.conftest import load_indexed
from tests.e2e.storefront.conftest import OpenStorefront
from tests.e2e.storefront.storefront_page import LOADED
from tests.e2e.write_api.conftest import product
from tests.pictures import jpeg_with_exif
from tests.stack import wait_for

# (kind, shape, colour) of the pictures the cards must show: one of each painter
PICTURED = [
    ("CASE", "wallet", "braun"),
    ("SCR", "", "transparent"),
    ("CBL", "", "weiß"),
    ("CHG", "car", "schwarz"),
    ("AUD", "in-ear", "blau"),
    ("PWR", "magnetic", "rosa"),
    ("HLD", "", "grau"),
]


def _product_with_thumbnails(settings: Settings, keys: Keys, word: str) -> dict[str, object]:
    product_id = f"SF-IMG-{uuid.uuid4().hex[:10]}"
    with httpx.Client(
        base_url=api_url(settings, "write_api"),
        headers={"Authorization": f"Bearer {keys.editor}"},
        timeout=30,
    ) as write_api:
        body = product(product_id, title=f"Bildtest {word} Hülle")
        assert write_api.put(f"/v1/products/{product_id}", json=body).status_code == 201
        upload = write_api.post(
            f"/v1/products/{product_id}/images",
            content=jpeg_with_exif(1200, 900, "orange"),
            headers={"Content-Type": "image/jpeg"},
        )
        assert upload.status_code == 201, upload.text

        def with_thumbnails() -> bool:
            images = write_api.get(f"/v1/products/{product_id}").json()["images"]
            return bool(images[0]["thumbnails"])

        wait_for(with_thumbnails, 60, "thumbnails")
        stored: dict[str, object] = write_api.get(f"/v1/products/{product_id}").json()
    return stored


def test_cards_load_real_thumbnails_from_the_image_host(
    open_storefront: OpenStorefront, settings: Settings, keys: Keys, read_api: httpx.Client
) -> None:
    word = f"z{uuid.uuid4().hex[:8]}"
    stored = _product_with_thumbnails(settings, keys, word)
    thumbs = stored["images"][0]["thumbnails"]  # type: ignore[index]

    def searchable() -> bool:
        answer = read_api.post(
            "/1/indexes/products/query",
            json={"query": word},
            headers={"Cache-Control": "no-cache"},
        )
        hits = answer.json().get("hits", [])
        return bool(hits) and hits[0].get("image") == thumbs[0]["url"]

    wait_for(searchable, 60, "the product's thumbnails in search")
    storefront = open_storefront(path=f"/?products%5Bquery%5D={word}")
    card = storefront.hits.first
    expect(card).to_have_attribute("data-object-id", str(stored["id"]))
    image = card.get_by_test_id("hit-image")
    expect(image).to_have_attribute("loading", "lazy")
    webp = card.locator("picture source[type='image/webp']")
    assert webp.get_attribute("srcset") == ", ".join(
        f"{t['url']} {t['width']}w" for t in thumbs if t["content_type"] == "image/webp"
    )
    image.scroll_into_view_if_needed()
    wait_for(lambda: bool(image.evaluate(LOADED)), 30, "the card's picture to load")
    shown = image.evaluate(LOADED)
    assert shown in {t["url"] for t in thumbs}, shown  # a thumbnail, not the original
    assert shown.startswith(str(settings.image_base_url).rstrip("/") + "/thumbnails/")
    # nothing left the page's origin and the image host (both the read API here)
    assert storefront.foreign == []


def test_drawn_demo_pictures_show_on_every_card(
    open_storefront: OpenStorefront, settings: Settings, keys: Keys
) -> None:
    word = "qp" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:10])
    book = PictureBook(str(settings.image_base_url))
    products = []
    for n, (kind, shape, colour) in enumerate(PICTURED):
        title = f"{word.capitalize()} {kind} {n}"
        spec = PictureSpec(kind, shape, colour, "Bildtest")
        products.append(
            {
                "id": f"SF-PIC-{word}-{n}",
                "title": title,
                "price": 10.0 + n,
                "stock": 2,
                "images": [book.entry(spec, title)],
            }
        )
    # Playwright keeps an event loop running on this thread: the loaders run on their own
    with ThreadPoolExecutor(1) as beside:
        beside.submit(asyncio.run, store_pictures(settings, book.originals)).result()
        beside.submit(load_indexed, settings, keys, products).result()  # once stored
    storefront = open_storefront(path=f"/?products%5Bquery%5D={word}")
    answer = storefront.query_api(query=word)
    storefront.expect_results(answer)
    assert len(answer["hits"]) == len(PICTURED)
    for i, hit in enumerate(answer["hits"]):
        image = storefront.hits.nth(i).get_by_test_id("hit-image")
        image.scroll_into_view_if_needed()
        expect(image).not_to_have_js_property("naturalWidth", 0)
        shown = image.evaluate(LOADED)
        thumbnails = {t["url"] for t in hit["images"][0]["thumbnails"]}
        assert shown in thumbnails, (hit["objectID"], shown)  # a thumbnail, not the original
    # every picture came from the image host (the read API here), nothing left for elsewhere
    assert storefront.foreign == []
