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
VARIANT_SHARE = 0.3  # of the models that come in several colours, how many the shop has so
MAX_MORE_COLOURS = 3
VARIANT_SEED_FACTOR = 7919
_VARIANT_EAN_BASE = 5 * 10**9  # variant EANs are numbered apart from the models' own


def generate_products(
    count: int, seed: int, pictures: PictureBook | None = None
) -> Iterator[dict[str, Any]]:
    """Yield `count` demo products one at a time; the same count and seed give the same ones.

    With `pictures`, each product shows one drawn picture of its kind, colour
    and brand (stored by `catalog.demo.picture_store`); without, one to three
    external image URLs on a host that never resolves.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    # variants draw from their own stream: a model's n-th product is the same with or without
    side = random.Random(seed * VARIANT_SEED_FACTOR + 1)  # noqa: S311
    ean_offset = rng.randrange(10**10)
    builders = [b for b, _ in BUILDERS]
    weights = [w for _, w in BUILDERS]
    made, n = 0, 0
    while made < count:
        n += 1
        builder = rng.choices(builders, weights)[0]
        draft = builder(rng)
        product = _finish(rng, n, draft, ean_offset, pictures)
        family = _variants(side, n, product, draft, ean_offset, pictures)
        for member in [product, *family][: count - made]:
            made += 1
            yield member


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


def _variants(
    side: random.Random,
    n: int,
    model: dict[str, Any],
    draft: Draft,
    ean_offset: int,
    pictures: PictureBook | None,
) -> list[dict[str, Any]]:
    """Other colours of the model, if the shop has them: ids `<model id>-2`.., one `group_id`."""
    colour = str(draft.attributes["color"])
    others = [c for c in draft.colours if c != colour]
    suffix = f", {colour}"
    if not others or not draft.title.endswith(suffix) or side.random() >= VARIANT_SHARE:
        return []
    model["group_id"] = model["id"]
    family = []
    for k, other in enumerate(
        side.sample(others, side.randint(1, min(MAX_MORE_COLOURS, len(others))))
    ):
        variant = orjson.loads(orjson.dumps(model))  # a deep copy of plain JSON data
        variant["id"] = f"{model['id']}-{k + 2}"
        variant["title"] = f"{draft.title[: -len(suffix)]}, {other}"
        ean_n = _VARIANT_EAN_BASE + n * (MAX_MORE_COLOURS + 1) + k
        variant["attributes"] |= {"color": other, "ean": ean(ean_n, ean_offset)}
        in_stock = side.random() >= 0.15
        variant["stock"] = min(int(side.lognormvariate(2.5, 1.0)) + 1, 2000) if in_stock else 0
        if pictures is None:
            variant["images"] = [
                {"url": f"{IMAGE_BASE}/{variant['id']}/1.jpg", "alt": variant["title"]}
            ]
        else:
            spec = PictureSpec(draft.kind, draft.shape, other, draft.brand)
            variant["images"] = [pictures.entry(spec, variant["title"])]
        family.append(variant)
    return family


def _description(rng: random.Random, draft: Draft) -> str:
    # 2-4 sentences: the opener, what fits this product's features, then general ones
    features = draft.features[:2]
    extras = rng.sample(
        v.EXTRAS[draft.text], rng.randint(max(0, 1 - len(features)), 3 - len(features))
    )
    sentences = [v.OPENERS[draft.text], *(v.FEATURES[f] for f in features), *extras]
    words = {"brand": draft.brand, **draft.words}
    return " ".join(s.format_map(words) for s in sentences)
