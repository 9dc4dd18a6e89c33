"""The `filter` parameter's text syntax."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from read_api.filter_syntax import FilterSyntaxError, parse_filter
from read_api.query.model import RangeFilter, TermsFilter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("brand:Spigen", TermsFilter(field="brand", values=["Spigen"])),
        (
            "-attributes.color:schwarz",
            TermsFilter(field="attributes.color", values=["schwarz"], exclude=True),
        ),
        ("in_stock:false", TermsFilter(field="in_stock", values=[False])),
        ("price:19.99", TermsFilter(field="price", values=[19.99])),
        (
            "categories:Audio > Kopfhörer",
            TermsFilter(field="categories", values=["Audio > Kopfhörer"]),
        ),
        ("attributes.power_w:20", TermsFilter(field="attributes.power_w", values=["20"])),
        ("title:Case: rot", TermsFilter(field="title", values=["Case: rot"])),
        ("attributes.size:[S,M)", TermsFilter(field="attributes.size", values=["[S,M)"])),
        ("price:[10,25)", RangeFilter(field="price", gte=10, lt=25)),
        ("price:(10,]", RangeFilter(field="price", gt=10)),
        ("price:10..50", RangeFilter(field="price", gte=10, lte=50)),
        ("price:..50", RangeFilter(field="price", lte=50)),
        ("rating:>=4.5", RangeFilter(field="rating", gte=4.5)),
        ("-stock:<1", RangeFilter(field="stock", lt=1, exclude=True)),
        ("attributes.weight_g:<40", RangeFilter(field="attributes.weight_g", lt=40)),
        ("created_at:[2025-01-01,)", RangeFilter(field="created_at", gte="2025-01-01")),
    ],
)  # fmt: skip
def test_filters_are_read(text: str, expected: object) -> None:
    assert parse_filter(text) == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("brand", FilterSyntaxError),
        (":x", FilterSyntaxError),
        ("price:cheap", FilterSyntaxError),
        ("price:[a,b)", FilterSyntaxError),
        ("price:[nan,)", FilterSyntaxError),
        ("in_stock:yes", FilterSyntaxError),
        ("status:draft", ValueError),
        ("attributes.Bad:x", ValueError),
        ("price:[,)", ValidationError),
    ],
)
def test_bad_filters_are_refused(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_filter(text)
