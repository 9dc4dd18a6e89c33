"""CSV rows become product records as the contract shapes them; bad numbers name their column."""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson
import pytest

from catalog.importing.csv_rows import csv_lines_to_bulk, csv_row_to_product, unknown_columns


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {
                "id": "ACME-1",
                "title": "Silikon Hülle für iPhone 15, schwarz",
                "description": "Weich. ",
                "brand": "Acme",
                "categories": "Handyzubehör > Hüllen > iPhone Hüllen|Angebote > Hüllen",
                "price": "19.99",
                "sale_price": "14.99",
                "stock": "12",
                "status": "active",
                "rating": "4.6",
                "review_count": "120",
                "images": "https://img.example/1.jpg| https://img.example/2.jpg",
            },
            {
                "id": "ACME-1",
                "title": "Silikon Hülle für iPhone 15, schwarz",
                "description": "Weich.",
                "brand": "Acme",
                "categories": [
                    ["Handyzubehör", "Hüllen", "iPhone Hüllen"],
                    ["Angebote", "Hüllen"],
                ],
                "price": 19.99,
                "sale_price": 14.99,
                "stock": 12,
                "status": "active",
                "rating": 4.6,
                "review_count": 120,
                "images": [
                    {
                        "url": "https://img.example/1.jpg",
                        "alt": "Silikon Hülle für iPhone 15, schwarz",
                    },
                    {
                        "url": "https://img.example/2.jpg",
                        "alt": "Silikon Hülle für iPhone 15, schwarz",
                    },
                ],
            },
        ),
        (
            {"id": "A", "title": "T", "price": "19,99", "sale_price": "1.299,00", "rating": "4,5"},
            {"id": "A", "title": "T", "price": 19.99, "sale_price": 1299.0, "rating": 4.5},
        ),
        (
            {"id": "A", "title": "", "description": "  ", "brand": "", "price": "5", "stock": ""},
            {"id": "A", "price": 5.0},
        ),
        (
            {"id": "A", "images": "https://img.example/1.jpg"},
            {"id": "A", "images": [{"url": "https://img.example/1.jpg"}]},
        ),
        ({"id": "A", "stock": None}, {"id": "A"}),  # a short row leaves cells None
    ],
    ids=["all-columns", "german-decimals", "empty-cells", "image-without-title", "short-row"],
)
def test_rows_become_products(row: dict[str, Any], expected: dict[str, Any]) -> None:
    assert csv_row_to_product(row) == expected


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("true", True),
        ("FALSE", False),
        ("35", 35),
        ("-2", -2),
        ("0.5", 0.5),
        ("1,5", 1.5),
        ("iPhone 15|iPhone 15 Pro", ["iPhone 15", "iPhone 15 Pro"]),
        ("iPhone 15|", ["iPhone 15"]),
        (" rot | blau ", ["rot", "blau"]),
        ("schwarz", "schwarz"),
        ("2E10", "2E10"),
        ("nan", "nan"),
        ("0401234567890", "0401234567890"),
        ("12345678901234567", "12345678901234567"),
        ("4006381333931", 4006381333931),
        ("0", 0),
    ],
)
def test_attribute_cells_become_typed_values(cell: str, value: object) -> None:
    product = csv_row_to_product({"id": "A", "attr.x": cell})
    assert product["attributes"] == {"x": value}
    assert type(product["attributes"]["x"]) is type(value)


def test_empty_attribute_cells_are_left_out() -> None:
    assert csv_row_to_product({"id": "A", "attr.color": "", "attr.size": "  "}) == {"id": "A"}


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("price", "19.99 €"),
        ("price", "abc"),
        ("sale_price", "1,2,3"),
        ("rating", "nan"),
        ("stock", "12.5"),
        ("stock", "zwölf"),
        ("review_count", "1e3"),
    ],
)
def test_a_malformed_number_names_its_column(column: str, cell: str) -> None:
    with pytest.raises(ValueError, match=f"column '{column}'"):
        csv_row_to_product({"id": "A", column: cell})


def test_unknown_columns_are_named() -> None:
    assert unknown_columns(["id", "prise", "attr.color", "Title"]) == ["prise", "Title"]
    with pytest.raises(ValueError, match="prise"):
        csv_row_to_product({"id": "A", "prise": "1"})


def test_bulk_lines_keep_going_after_a_bad_row() -> None:
    text = (
        "id,title,price,attr.color\n"
        "A,Hülle,9.99,schwarz\n"
        'B,"Kabel, 1 m",x,weiß\n'
        "C,Netzteil,19.99,weiß,extra\n"
        'D,"zwei\nZeilen",1\n'
    )
    rows = list(csv_lines_to_bulk(csv.DictReader(io.StringIO(text, newline=""))))
    assert [(r.file_line, r.line is None) for r in rows] == [
        (2, False),
        (3, True),
        (4, True),
        (6, False),
    ]
    assert orjson.loads(rows[0].line or b"") == {
        "op": "upsert",
        "product": {"id": "A", "title": "Hülle", "price": 9.99, "attributes": {"color": "schwarz"}},
    }
    assert rows[1].error is not None
    assert "'price'" in rows[1].error
    assert rows[2].error is not None
    assert "more cells" in rows[2].error
    assert orjson.loads(rows[3].line or b"")["product"]["title"] == "zwei\nZeilen"
