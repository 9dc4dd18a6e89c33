"""A deterministic, streaming demo catalog of phone accessories for a German shop."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from catalog.demo import vocabulary as v
from catalog.demo.builders import BUILDERS, Draft
from catalog.demo.picture_book import PictureBook
from catalog.demo.pictures import PictureSpec
from catalog.demo.values import ean, sale_price

IMAGE_BASE = "https://cdn.catalog-demo.invalid/products"  # .invalid never resolves
_STATUSES = ("active", "draft", "archived")
_STATUS_WEIGHTS = (94, 3, 3)


def generate_products(
    count: int, seed: int, pictures: PictureBook | None = None
) -> Iterator[dict[str, Any]]:
    """Yield `count` demo products one at a time; the same count and seed give the same ones.

    With `pictures`, each product shows one drawn picture of its kind, colour
    and brand (stored by `catalog.demo.picture_store`); without, one to three
    external image URLs on a host that never resolves.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    ean_offset = rng.randrange(10**10)
    builders = [b for b, _ in BUILDERS]
    weights = [w for _, w in BUILDERS]
    for n in range(1, count + 1):
        builder = rng.choices(builders, weights)[0]
        yield _finish(rng, n, builder(rng), ean_offset, pictures)


def bulk_lines(products: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """Each product as one NDJSON bulk upsert line."""
    for product in products:
        yield orjson.dumps({"op": "upsert", "product": product}) + b"\n"


def _finish(
    rng: random.Random, n: int, draft: Draft, ean_offset: int, pictures: PictureBook | None
) -> dict[str, Any]:
    product_id = f"{re.sub('[^A-Za-z]', '', draft.brand)[:3].upper()}-{draft.kind}-{n:06d}"
    product: dict[str, Any] = {
        "id": product_id,
        "title": draft.title,
        "description": _description(rng, draft),
        "brand": draft.brand,
        "categories": draft.categories,
        "price": draft.price,
    }
    sale = sale_price(rng, draft.price) if rng.random() < 0.2 else None
    if sale is not None:
        product["sale_price"] = sale
        product["categories"] = [*draft.categories, ["Angebote", draft.categories[0][1]]]
    in_stock = rng.random() >= 0.1
    product["stock"] = min(int(rng.lognormvariate(3.0, 1.0)) + 1, 2000) if in_stock else 0
    product["status"] = rng.choices(_STATUSES, _STATUS_WEIGHTS)[0]
    product["attributes"] = {**draft.attributes, "ean": ean(n, ean_offset)}
    external = [
        {"url": f"{IMAGE_BASE}/{product_id}/{i}.jpg", "alt": draft.title}
        for i in range(1, rng.randint(1, 3) + 1)  # drawn either way: the same catalog after it
    ]
    if pictures is None:
        product["images"] = external
    else:
        spec = PictureSpec(draft.kind, draft.shape, str(draft.attributes["color"]), draft.brand)
        product["images"] = [pictures.entry(spec, draft.title)]
    if rng.random() < 0.1:
        product["review_count"] = 0
    else:
        typical = rng.random() < 0.85
        rating = rng.triangular(3.8, 4.8, 4.4) if typical else rng.uniform(1.0, 5.0)
        product["rating"] = round(rating, 1)
        product["review_count"] = min(int(rng.lognormvariate(3.0, 1.5)) + 1, 50_000)
    return product


def _description(rng: random.Random, draft: Draft) -> str:
    # 2-4 sentences: the opener, what fits this product's features, then general ones
    features = draft.features[:2]
    extras = rng.sample(
        v.EXTRAS[draft.text], rng.randint(max(0, 1 - len(features)), 3 - len(features))
    )
    sentences = [v.OPENERS[draft.text], *(v.FEATURES[f] for f in features), *extras]
    words = {"brand": draft.brand, **draft.words}
    return " ".join(s.format_map(words) for s in sentences)
