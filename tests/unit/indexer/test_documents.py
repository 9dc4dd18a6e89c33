"""The search document built from a stored product: plain dicts in, exact dicts out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.products.storage import to_storage
from indexer.documents import build_document, document_version
from tests.strategies.products import products

CREATED = datetime(2024, 5, 1, 10, 0, 0, 123000, tzinfo=UTC)
UPDATED = datetime(2024, 5, 2, 8, 30, 0, tzinfo=UTC)
INTERNAL = ("_outbox", "dirty_since", "deleted_at", "synced_version", "_id")


def stored(**changes: Any) -> dict[str, Any]:
    """The contract's sample product as MongoDB holds it, with `changes` applied."""
    doc: dict[str, Any] = {
        "_id": "ACME-CASE-15-BLK",
        "title": "Silikon Hülle für iPhone 15, schwarz",
        "description": "Weiche Hülle.",
        "brand": "Acme",
        "categories": [
            {"path": ["Handyzubehör", "Hüllen", "iPhone Hüllen"]},
            {"path": ["Handyzubehör", "Schutz"]},
            {"path": ["Angebote"]},
        ],
        "price": 19.99,
        "sale_price": 14.99,
        "stock": 12,
        "status": "active",
        "attributes": {
            "color": "schwarz",
            "compatible_devices": ["iPhone 15", "iPhone 15 Pro", "iPhone 15"],
            "weight_g": 35,
            "wireless": False,
            "magsafe": True,
            "thickness_mm": 1.5,
        },
        "images": [{"url": "https://cdn.example/a.jpg", "alt": "vorne"}],
        "rating": 4.6,
        "review_count": 120,
        "group_id": "ACME-CASE-15",
        "version": 7,
        "created_at": CREATED,
        "updated_at": UPDATED,
        "dirty_since": UPDATED,
        "_outbox": [{"product_id": "ACME-CASE-15-BLK", "version": 7}],
    }
    doc.update(changes)
    return doc


def test_full_product() -> None:
    assert build_document(stored()) == {
        "id": "ACME-CASE-15-BLK",
        "identifiers": ["ACME-CASE-15-BLK"],
        "title": "Silikon Hülle für iPhone 15, schwarz",
        "group_id": "ACME-CASE-15",
        "description": "Weiche Hülle.",
        "brand": "Acme",
        "categories": {
            "lvl0": ["Angebote", "Handyzubehör"],
            "lvl1": ["Handyzubehör > Hüllen", "Handyzubehör > Schutz"],
            "lvl2": ["Handyzubehör > Hüllen > iPhone Hüllen"],
        },
        "category_paths": [
            "Handyzubehör > Hüllen > iPhone Hüllen",
            "Handyzubehör > Schutz",
            "Angebote",
        ],
        "category_text": ["Handyzubehör", "Hüllen", "iPhone Hüllen", "Schutz", "Angebote"],
        "price": 19.99,
        "sale_price": 14.99,
        "effective_price": 14.99,
        "on_sale": True,
        "stock": 12,
        "in_stock": True,
        "status": "active",
        "rating": 4.6,
        "review_count": 120,
        "attributes": {
            "color": "schwarz",
            "compatible_devices": ["iPhone 15", "iPhone 15 Pro", "iPhone 15"],
            "weight_g": 35,
            "wireless": False,
            "magsafe": True,
            "thickness_mm": 1.5,
        },
        "attrs_kw": [
            {"name": "color", "value": "schwarz", "value_raw": "schwarz"},
            {"name": "compatible_devices", "value": "iPhone 15", "value_raw": "iPhone 15"},
            {"name": "compatible_devices", "value": "iPhone 15 Pro", "value_raw": "iPhone 15 Pro"},
            {"name": "magsafe", "value": "true", "value_raw": "true"},
            {"name": "wireless", "value": "false", "value_raw": "false"},
        ],
        # by attribute name, whatever order MongoDB keeps them in
        "attrs_num": [
            {"name": "thickness_mm", "value": 1.5},
            {"name": "weight_g", "value": 35.0},
        ],
        "attrs_text": ["schwarz", "iPhone 15", "iPhone 15 Pro"],
        "images": [{"url": "https://cdn.example/a.jpg", "alt": "vorne"}],
        "created_at": "2024-05-01T10:00:00.123000+00:00",
        "updated_at": "2024-05-02T08:30:00+00:00",
        "version": 7,
    }


def test_minimal_product() -> None:
    minimal = {"_id": "X", "title": "Kabel", "price": 5.0, "status": "draft", "version": 1}
    assert build_document(minimal) == {
        "id": "X",
        "identifiers": ["X"],
        "title": "Kabel",
        "group_id": "X",  # a group of its own
        "status": "draft",
        "price": 5.0,
        "effective_price": 5.0,
        "on_sale": False,
        "stock": 0,
        "in_stock": False,
        "categories": {},
        "category_paths": [],
        "category_text": [],
        "attributes": {},
        "attrs_kw": [],
        "attrs_num": [],
        "attrs_text": [],
        "images": [],
        "version": 1,
    }


def test_tombstone_is_none() -> None:
    tombstone = {"_id": "X", "version": 9, "deleted_at": UPDATED, "updated_at": UPDATED}
    assert build_document(tombstone) is None
    assert build_document(stored(deleted_at=UPDATED)) is None


def test_document_version() -> None:
    assert document_version(stored(version=42)) == 42


@pytest.mark.parametrize(
    ("price", "sale_price", "effective", "on_sale"),
    [
        (19.99, 14.99, 14.99, True),
        (19.99, 19.99, 19.99, False),  # a "sale" at full price is no sale
        (19.99, None, 19.99, False),
        (19.99, 0.0, 0.0, True),  # free is a real price, not a missing one
        (0.0, 0.0, 0.0, False),
    ],
)
def test_effective_price_and_on_sale(
    price: float, sale_price: float | None, effective: float, on_sale: bool
) -> None:
    doc = build_document(stored(price=price, sale_price=sale_price))
    assert doc is not None
    assert (doc["effective_price"], doc["on_sale"]) == (effective, on_sale)
    assert ("sale_price" in doc) == (sale_price is not None)


@pytest.mark.parametrize(("stock", "in_stock"), [(0, False), (1, True), (2**53, True)])
def test_in_stock(stock: int, in_stock: bool) -> None:
    doc = build_document(stored(stock=stock))
    assert doc is not None
    assert (doc["stock"], doc["in_stock"]) == (stock, in_stock)


def test_naive_and_offset_dates_become_utc_iso() -> None:
    naive = datetime(2024, 5, 1, 10, 0)
    offset = datetime(2024, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    doc = build_document(stored(created_at=naive, updated_at=offset))
    assert doc is not None
    assert doc["created_at"] == "2024-05-01T10:00:00+00:00"
    assert datetime.fromisoformat(doc["updated_at"]) == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def test_input_is_not_shared_with_the_document() -> None:
    source = stored()
    doc = build_document(source)
    assert doc is not None
    doc["images"][0]["alt"] = "changed"
    doc["attributes"]["compatible_devices"].append("changed")
    assert source == stored()


@given(
    product=products(),
    internal=st.fixed_dictionaries(
        {},
        optional={
            "_outbox": st.just([{"op": "upsert"}]),
            "dirty_since": st.just(UPDATED),
            "synced_version": st.integers(1, 10),
            "some_future_field": st.text(),
        },
    ),
)
def test_only_index_fields_leave(product: dict[str, Any], internal: dict[str, Any]) -> None:
    public = dict(product)
    product_id = public.pop("id")
    source = {"_id": product_id, **to_storage(public), "version": 3, **internal}
    source.update(created_at=CREATED, updated_at=UPDATED)
    doc = build_document(source)
    assert doc is not None
    assert doc["id"] == product_id
    assert not set(doc) & {*INTERNAL, "some_future_field"}


def test_identifiers_are_the_id_and_identifying_attribute_values() -> None:
    attributes = {"ean": ["4006381333931", "4006381333948"], "model": "TN-2110", "color": "rot"}
    doc = build_document(stored(attributes=attributes))
    assert doc is not None
    assert doc["identifiers"] == ["ACME-CASE-15-BLK", "4006381333931", "4006381333948", "TN-2110"]


def test_a_boolean_or_number_list_is_no_identifier() -> None:
    doc = build_document(stored(attributes={"sku": True, "model": 7, "mpn": [1.5]}))
    assert doc is not None
    assert doc["identifiers"] == ["ACME-CASE-15-BLK", "7"]
