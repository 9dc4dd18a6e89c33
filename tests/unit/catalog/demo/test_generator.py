"""The demo catalog is deterministic, unique where it must be, and valid by the contract."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from itertools import islice
from typing import Any

import orjson
import pytest

from catalog.demo.generator import bulk_lines, generate_products

ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
ATTRIBUTE_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
FIELDS = {
    "id", "title", "description", "brand", "categories", "price", "sale_price", "stock",
    "status", "attributes", "images", "rating", "review_count", "group_id",
}  # fmt: skip


@pytest.fixture(scope="module")
def products() -> list[dict[str, Any]]:
    return list(generate_products(5000, seed=7))


def ean_is_valid(ean: str) -> bool:
    digits = [int(d) for d in ean]
    weighted = sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
    return len(ean) == 13 and ean.isdigit() and (weighted + digits[12]) % 10 == 0


def cents(value: float) -> bool:
    return Decimal(str(value)).as_tuple().exponent >= -2  # type: ignore[operator]


def contract_problems(p: dict[str, Any]) -> list[str]:
    """What the contract's product record rules find wrong with one product."""
    problems = [f"unknown field {k}" for k in p if k not in FIELDS]
    checks = {
        "id": isinstance(p["id"], str) and ID.fullmatch(p["id"]) is not None,
        "group_id": "group_id" not in p or ID.fullmatch(p["group_id"]) is not None,
        "title": isinstance(p["title"], str) and 1 <= len(p["title"].strip()) <= 500,
        "description": len(p.get("description", "")) <= 50_000,
        "brand": 1 <= len(p.get("brand", "x")) <= 200,
        "price": isinstance(p["price"], float) and 0 <= p["price"] <= 10_000_000,
        "price cents": cents(p["price"]),
        "sale_price": "sale_price" not in p
        or (cents(p["sale_price"]) and 0 <= p["sale_price"] <= p["price"]),
        "stock": type(p["stock"]) is int and p["stock"] >= 0,
        "status": p["status"] in ("active", "draft", "archived"),
        "categories": 1 <= len(p["categories"]) <= 20
        and all(1 <= len(path) <= 6 and all(path) for path in p["categories"]),
        "attributes": len(p["attributes"]) <= 100
        and all(ATTRIBUTE_NAME.fullmatch(k) for k in p["attributes"]),
        "attribute values": all(attribute_ok(v) for v in p["attributes"].values()),
        "images": all(set(i) == {"url", "alt"} for i in p["images"]),
        "rating": "rating" not in p or 1.0 <= p["rating"] <= 5.0,
        "review_count": type(p.get("review_count", 0)) is int and p.get("review_count", 0) >= 0,
    }
    return problems + [name for name, ok in checks.items() if not ok]


def attribute_ok(value: object) -> bool:
    if isinstance(value, list):
        return len(value) <= 100 and all(isinstance(s, str) and len(s) <= 1000 for s in value)
    if isinstance(value, str):
        return len(value) <= 1000
    return isinstance(value, bool | int | float)


def test_same_seed_gives_identical_bytes() -> None:
    first = b"".join(bulk_lines(generate_products(300, seed=42)))
    again = b"".join(bulk_lines(generate_products(300, seed=42)))
    other = b"".join(bulk_lines(generate_products(300, seed=43)))
    assert first == again
    assert first != other


def test_a_longer_catalog_starts_like_a_shorter_one() -> None:
    short = list(generate_products(50, seed=1))
    assert list(islice(generate_products(500, seed=1), 50)) == short


def test_bulk_lines_are_upserts_one_per_line() -> None:
    product = next(generate_products(1, seed=3))
    (line,) = bulk_lines([product])
    assert line.endswith(b"\n")
    assert line.count(b"\n") == 1
    assert orjson.loads(line) == {"op": "upsert", "product": product}


def test_ids_and_eans_are_unique(products: list[dict[str, Any]]) -> None:
    assert len({p["id"] for p in products}) == len(products)
    assert len({p["attributes"]["ean"] for p in products}) == len(products)


def test_every_ean_has_a_valid_check_digit(products: list[dict[str, Any]]) -> None:
    bad = [p["attributes"]["ean"] for p in products if not ean_is_valid(p["attributes"]["ean"])]
    assert bad == []


def test_ean_checker_rejects_a_wrong_check_digit() -> None:
    assert ean_is_valid("4006381333931")
    assert not ean_is_valid("4006381333932")


def test_every_product_follows_the_contract(products: list[dict[str, Any]]) -> None:
    problems = {p["id"]: contract_problems(p) for p in products}
    assert {k: v for k, v in problems.items() if v} == {}


def test_images_point_at_the_invalid_demo_domain(products: list[dict[str, Any]]) -> None:
    for p in products[:200]:
        assert 1 <= len(p["images"]) <= 3
        for n, image in enumerate(p["images"], start=1):
            assert image == {
                "url": f"https://cdn.catalog-demo.invalid/products/{p['id']}/{n}.jpg",
                "alt": p["title"],
            }


def test_distribution_looks_like_a_shop(products: list[dict[str, Any]]) -> None:
    n = len(products)
    on_sale = sum("sale_price" in p for p in products)
    sold_out = sum(p["stock"] == 0 for p in products)
    statuses = Counter(p["status"] for p in products)
    assert 0.15 * n < on_sale < 0.25 * n
    assert 0.06 * n < sold_out < 0.14 * n
    assert statuses["draft"] > 0
    assert statuses["archived"] > 0
    assert 0.9 * n < statuses["active"] < 0.97 * n
    assert len({p["brand"] for p in products}) >= 10
    assert len({p["categories"][0][1] for p in products}) >= 5
    assert any(len(p["categories"]) > 1 for p in products)
    unrated = [p for p in products if "rating" not in p]
    assert 0.05 * n < len(unrated) < 0.15 * n
    assert all(p["review_count"] == 0 for p in unrated)
    rated = [p["rating"] for p in products if "rating" in p]
    assert sum(3.8 <= r <= 4.8 for r in rated) > 0.7 * len(rated)


def test_prices_mostly_end_like_shop_prices(products: list[dict[str, Any]]) -> None:
    endings = Counter(f"{p['price']:.2f}"[-3:] for p in products)
    assert sum(endings[e] for e in (".99", ".95", ".90", ".49")) > 0.8 * len(products)


def test_brands_stay_with_their_product_types(products: list[dict[str, Any]]) -> None:
    top_levels = {(p["brand"], p["categories"][0][1]) for p in products}
    assert ("Sennheiser", "Hüllen") not in top_levels
    assert ("PanzerGlass", "Kopfhörer") not in top_levels
    apple_devices = {
        d
        for p in products
        if p["brand"] == "Apple" and p["categories"][0][1] == "Hüllen"
        for d in p["attributes"]["compatible_devices"]
    }
    assert apple_devices
    assert all(d.startswith("iPhone") for d in apple_devices)


def test_descriptions_have_two_to_four_sentences(products: list[dict[str, Any]]) -> None:
    counts = {p["description"].count(". ") + 1 for p in products}
    assert counts <= {2, 3, 4}


def test_the_write_model_accepts_every_line() -> None:
    from catalog.products.model import BulkUpsert

    for line in bulk_lines(generate_products(2000, seed=11)):
        BulkUpsert.model_validate_json(line)


def test_some_models_come_in_several_colours_as_one_group(products: list[dict[str, Any]]) -> None:
    groups: dict[str, list[dict[str, Any]]] = {}
    for p in products:
        if "group_id" in p:
            groups.setdefault(p["group_id"], []).append(p)
    assert 0.15 < sum(map(len, groups.values())) / len(products) < 0.45
    for group_id, members in groups.items():
        model = members[0]
        assert model["id"] == group_id
        assert 2 <= len(members) <= 4
        colours = [m["attributes"]["color"] for m in members]
        assert len(set(colours)) == len(colours)  # one product per colour
        for variant in members[1:]:
            assert variant["id"].startswith(group_id + "-")
            assert variant["title"].rsplit(", ", 1)[0] == model["title"].rsplit(", ", 1)[0]
            assert variant["price"] == model["price"]
            assert variant["categories"] == model["categories"]
