"""The product record's validation: what the contract accepts and rejects, with field paths."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from catalog.products.model import ProductCreate, ProductFields

VALID: dict[str, Any] = {
    "id": "ACME-CASE-15-BLK",
    "title": "Silikon Hülle für iPhone 15, schwarz",
    "description": "Weiche Hülle.",
    "brand": "Acme",
    "categories": [["Handyzubehör", "Hüllen", "iPhone Hüllen"]],
    "price": 19.99,
    "sale_price": 14.99,
    "stock": 12,
    "status": "active",
    "attributes": {
        "color": "schwarz",
        "compatible_devices": ["iPhone 15"],
        "weight_g": 35,
        "wireless": False,
    },
    "images": [{"url": "https://cdn.example/a.jpg", "alt": "vorne"}],
    "rating": 4.6,
    "review_count": 120,
}


def test_the_contract_example_is_accepted_unchanged() -> None:
    product = ProductCreate.model_validate(VALID)
    assert product.model_dump(mode="json", exclude_none=True) == VALID


def test_defaults_for_optional_fields() -> None:
    product = ProductFields.model_validate({"title": "Kabel", "price": 5})
    assert (product.stock, product.status, product.categories, product.attributes) == (
        0,
        "active",
        [],
        {},
    )


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"id": "has space"}, "id"),
        ({"id": "x" * 65}, "id"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"description": "x" * 50_001}, "description"),
        ({"brand": "x" * 201}, "brand"),
        ({"price": 19.999}, "price"),
        ({"price": "19.99"}, "price"),
        ({"price": True}, "price"),
        ({"price": -0.01}, "price"),
        ({"price": 10_000_000.01}, "price"),
        ({"sale_price": 25.0}, ""),
        ({"stock": -1}, "stock"),
        ({"stock": 1.5}, "stock"),
        ({"stock": "3"}, "stock"),
        ({"status": "deleted"}, "status"),
        ({"categories": [[]]}, "categories.0"),
        ({"categories": [["a"] * 7]}, "categories.0"),
        ({"attributes": {"Color": "rot"}}, "attributes.Color.[key]"),
        ({"attributes": {"$where": "1"}}, "attributes.$where.[key]"),
        ({"attributes": {"a.b": "1"}}, "attributes.a.b.[key]"),
        ({"attributes": {"nested": {"x": 1}}}, "attributes.nested"),
        ({"attributes": {"list": [1, 2]}}, "attributes.list"),
        ({"attributes": {"long": "x" * 1001}}, "attributes.long"),
        ({"attributes": {"many": ["x"] * 101}}, "attributes.many"),
        ({"attributes": {f"a{i}": i for i in range(101)}}, "attributes"),
        ({"attributes": {"huge": 2**70}}, "attributes.huge"),
        ({"images": [{"url": "ftp://x"}]}, "images.0.url"),
        ({"images": [{"url": "https://x", "size": 3}]}, "images.0.size"),
        ({"rating": 5.5}, "rating"),
        ({"colour": "rot"}, "colour"),
        ({"version": 3}, "version"),
    ],
)
def test_invalid_products_are_rejected_at_the_field(change: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as error:
        ProductCreate.model_validate({**VALID, **change})
    paths = {".".join(str(p) for p in e["loc"]) for e in error.value.errors()}
    assert path in paths


def test_integral_floats_are_integers_in_json() -> None:
    product = ProductFields.model_validate({"title": "t", "price": 1, "stock": 12.0})
    assert product.stock == 12
    assert type(product.stock) is int


def test_attribute_values_keep_their_json_type() -> None:
    attributes = {"n": 3, "f": 2.5, "b": True, "s": "x", "l": ["a", "b"]}
    product = ProductFields.model_validate({"title": "t", "price": 1, "attributes": attributes})
    assert product.attributes == attributes
    assert type(product.attributes["n"]) is int
    assert type(product.attributes["b"]) is bool
