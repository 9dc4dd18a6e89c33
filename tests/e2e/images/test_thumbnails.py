"""Thumbnails made by the real images worker reach the product and its search hit."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.e2e.write_api.conftest import product
from tests.pictures import jpeg_with_exif
from tests.stack import wait_for

JPEG = {"Content-Type": "image/jpeg"}


def _thumbnails(write_api: httpx.Client, product_id: str) -> list[dict[str, object]]:
    images = write_api.get(f"/v1/products/{product_id}").json().get("images", [])
    return images[0].get("thumbnails", []) if images else []


def test_thumbnails_appear_and_the_search_hit_carries_them(
    write_api: httpx.Client, read_api: httpx.Client, product_id: str
) -> None:
    upload = write_api.post(
        f"/v1/products/{product_id}/images", content=jpeg_with_exif(1200, 900), headers=JPEG
    )
    assert upload.status_code == 201, upload.text
    image = upload.json()
    wait_for(lambda: bool(_thumbnails(write_api, product_id)), 60, "thumbnails")
    thumbs = _thumbnails(write_api, product_id)
    # the original is 900 wide once upright: 160, 320 and 640, WebP then JPEG
    assert [(t["width"], t["content_type"]) for t in thumbs] == [
        (160, "image/webp"),
        (160, "image/jpeg"),
        (320, "image/webp"),
        (320, "image/jpeg"),
        (640, "image/webp"),
        (640, "image/jpeg"),
    ]
    for thumb in thumbs:
        served = read_api.get(httpx.URL(str(thumb["url"])).path)
        assert served.status_code == 200
        assert served.headers["content-type"] == thumb["content_type"]
        with Image.open(io.BytesIO(served.content)) as picture:
            assert picture.size == (thumb["width"], thumb["height"])

    def hit() -> dict[str, object] | None:
        answer = read_api.get(f"/v1/products/{product_id}", headers={"Cache-Control": "no-cache"})
        if answer.status_code != 200:
            return None
        found: dict[str, object] = answer.json()
        return found if found.get("image") == thumbs[0]["url"] else None

    wait_for(lambda: hit() is not None, 60, "the hit's thumbnails")
    found = hit()
    assert found is not None
    assert found["images"][0]["thumbnails"] == thumbs  # type: ignore[index]
    assert found["images"][0]["id"] == image["id"]  # type: ignore[index]
    algolia = read_api.get(f"/1/indexes/products/{product_id}")
    assert algolia.status_code == 200, algolia.text
    assert algolia.json()["image"] == thumbs[0]["url"]
    assert algolia.json()["images"][0]["thumbnails"][0]["width"] == 160


def test_an_image_without_thumbnails_shows_its_own_url(
    write_api: httpx.Client, read_api: httpx.Client, product_id: str
) -> None:
    external = "https://cdn.example/external.jpg"
    patched = write_api.put(
        f"/v1/products/{product_id}", json=product(product_id, images=[{"url": external}])
    )
    assert patched.status_code == 200, patched.text

    def card() -> object:
        answer = read_api.get(f"/v1/products/{product_id}", headers={"Cache-Control": "no-cache"})
        return answer.json().get("image") if answer.status_code == 200 else None

    wait_for(lambda: card() == external, 60, "the external image in the hit")
