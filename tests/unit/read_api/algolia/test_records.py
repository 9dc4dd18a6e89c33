"""Records: objectID, public fields only, hierarchical levels, attributes as one object."""

from __future__ import annotations

from typing import Any

from read_api.algolia.records import record_of, retrieved
from read_api.query.results import hit_from_source

SOURCE: dict[str, Any] = {
    "id": "ACME-1",
    "title": "Hülle",
    "brand": "Acme",
    "category_paths": ["Handyzubehör > Hüllen > iPhone Hüllen", "Angebote"],
    "categories": {"lvl0": ["should not be copied from the index"]},
    "price": 19.99,
    "effective_price": 19.99,
    "on_sale": False,
    "stock": 0,
    "in_stock": False,
    "attributes": {"color": "schwarz", "compatible_devices": ["iPhone 15"], "weight_g": 35},
    "status": "active",
    "version": 7,
    "attrs_kw": [{"name": "color", "value": "schwarz"}],
}


def test_a_record_holds_the_public_fields_and_the_category_levels() -> None:
    record = record_of(hit_from_source(SOURCE))
    assert record["objectID"] == "ACME-1"
    assert record["id"] == "ACME-1"
    assert record["in_stock"] is False
    assert record["attributes"] == SOURCE["attributes"]
    assert record["categories"] == {
        "lvl0": ["Angebote", "Handyzubehör"],
        "lvl1": ["Handyzubehör > Hüllen"],
        "lvl2": ["Handyzubehör > Hüllen > iPhone Hüllen"],
    }
    for internal in ("status", "version", "attrs_kw", "category_paths", "highlights"):
        assert internal not in record
    assert "description" not in record  # absent fields stay absent, not null


def test_attributes_to_retrieve_picks_fields_and_nested_values() -> None:
    record = record_of(hit_from_source(SOURCE))
    picked = retrieved(record, ["title", "attributes.color", "categories.lvl1", "nope"])
    assert picked == {
        "objectID": "ACME-1",
        "title": "Hülle",
        "attributes": {"color": "schwarz"},
        "categories": {"lvl1": ["Handyzubehör > Hüllen"]},
    }
    both = retrieved(record, ["attributes.color", "attributes.weight_g"])
    assert both["attributes"] == {"color": "schwarz", "weight_g": 35}


def test_star_and_exclusions() -> None:
    record = record_of(hit_from_source(SOURCE))
    assert retrieved(record, None) == record
    assert retrieved(record, ["*"]) == record
    trimmed = retrieved(record, ["*", "-attributes", "-objectID"])
    assert "attributes" not in trimmed
    assert trimmed["objectID"] == "ACME-1"  # always there
    assert retrieved(record, []) == {"objectID": "ACME-1"}
