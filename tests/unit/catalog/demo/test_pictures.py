"""The demo's drawn pictures: deterministic, distinct per spec, and named by their content."""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from itertools import islice

import pytest
from PIL import Image

from catalog.demo.generator import generate_products
from catalog.demo.picture_book import PictureBook
from catalog.demo.pictures import COLOURS, PAINTERS, SIZE, PictureSpec, draw
from catalog.images import thumbnails
from catalog.images.keys import is_image_key
from catalog.products.model import ProductCreate

BASE = "http://img.example/images"


def test_the_same_spec_gives_the_same_png() -> None:
    spec = PictureSpec("CASE", "", "blau", "Spigen")
    data = draw(spec)
    assert data == draw(spec)
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (SIZE, SIZE))
        assert not image.info.get("exif")


@pytest.mark.parametrize("kind", [*PAINTERS, "OTHER"])
def test_every_kind_is_drawn_in_the_product_colour(kind: str) -> None:
    red, blue = (draw(PictureSpec(kind, "", c, "Anker")) for c in ("rot", "blau"))
    assert red != blue
    with Image.open(io.BytesIO(red)) as image:
        colours = {c for _, c in image.convert("RGB").getcolors(SIZE * SIZE) or []}
    assert COLOURS["rot"] in colours


def test_brand_and_shape_change_the_picture() -> None:
    base = PictureSpec("CHG", "", "schwarz", "Anker")
    others = [
        PictureSpec("CHG", "", "schwarz", "Belkin"),
        PictureSpec("CHG", "wireless", "schwarz", "Anker"),
        PictureSpec("CHG", "car", "schwarz", "Anker"),
    ]
    assert len({draw(s) for s in [base, *others]}) == 4
    assert base.label == "Ladegerät"
    assert others[2].label == "KFZ-Ladegerät"


def test_products_of_one_look_share_one_picture_named_by_its_sha256() -> None:
    book = PictureBook(BASE)
    products = list(islice(generate_products(3000, 7, book), 3000))
    ids = Counter(p["images"][0]["id"] for p in products)
    assert len(ids) == len(book.originals) < 400  # a few hundred, however many products
    assert max(ids.values()) > 1
    for image_id, data in book.originals.items():
        assert hashlib.sha256(data).hexdigest() == image_id


def test_a_product_entry_is_a_complete_upload_entry() -> None:
    book = PictureBook(BASE)
    product = next(generate_products(1, 7, book))
    ProductCreate.model_validate(product)
    (entry,) = product["images"]
    assert entry["url"] == f"{BASE}/originals/{entry['id']}"
    assert (entry["width"], entry["height"], entry["alt"]) == (SIZE, SIZE, product["title"])
    listed = [(t["width"], t["height"], t["content_type"]) for t in entry["thumbnails"]]
    planned = thumbnails.plan(SIZE, SIZE)
    assert listed == [(w, h, thumbnails.CONTENT_TYPES[f]) for w, h, f in planned]
    for thumb in entry["thumbnails"]:
        assert thumb["url"].startswith(f"{BASE}/thumbnails/{entry['id']}/")
        assert is_image_key(thumb["url"].removeprefix(f"{BASE}/"))
    # what the worker would render from the original is what the entry lists
    rendered = thumbnails.render(book.originals[entry["id"]])
    assert [(r.width, r.height, r.fmt) for r in rendered] == planned


def test_pictures_leave_the_rest_of_the_catalog_as_it_was() -> None:
    with_pictures = list(generate_products(500, 7, PictureBook(BASE)))
    without = list(generate_products(500, 7))
    assert [{**p, "images": []} for p in with_pictures] == [{**p, "images": []} for p in without]
    assert all(i["url"].startswith("https://") for p in without for i in p["images"])
