"""The index's field names: each one is a field the mapping declares."""

from __future__ import annotations

from typing import Any

import pytest

from catalog import index_fields
from catalog.products.model import MAX_CATEGORY_DEPTH
from indexer.index_definition import mappings

# relative names and the separator are parts of names, not fields
_PARTS = {"CATEGORY_SEPARATOR", "CATEGORY_LEVEL_FIELDS"}
FIELD_NAMES = sorted(
    value
    for name, value in vars(index_fields).items()
    if name.isupper()
    and isinstance(value, str)
    and name not in _PARTS
    and not name.endswith("_SUBFIELD")
    and not name.startswith("PAIR_")
)


def _declared(path: str) -> dict[str, Any] | None:
    field: dict[str, Any] = {"properties": mappings()["properties"]}
    for part in path.split("."):
        inner = {**field.get("properties", {}), **field.get("fields", {})}
        if part not in inner:
            return None
        field = inner[part]
    return field


@pytest.mark.parametrize("path", [*FIELD_NAMES, *index_fields.CATEGORY_LEVEL_FIELDS])
def test_every_name_is_a_field_of_the_mapping(path: str) -> None:
    assert _declared(path) is not None


def test_one_keyword_field_per_category_level() -> None:
    assert index_fields.category_level_field(2) == "categories.lvl2"
    assert len(index_fields.CATEGORY_LEVEL_FIELDS) == MAX_CATEGORY_DEPTH
    assert {_declared(level)["type"] for level in index_fields.CATEGORY_LEVEL_FIELDS} == {"keyword"}
