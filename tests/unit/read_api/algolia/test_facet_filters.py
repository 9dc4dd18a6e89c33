"""Algolia's `facetFilters` and `numericFilters`: every shape clients send, and bad ones."""

from __future__ import annotations

import json

import pytest

from read_api.algolia.facet_filters import FilterList, facet_filters, numeric_filters
from read_api.algolia.filter_language import FilterLanguageError
from read_api.query.model import AnyOf, Filter, RangeFilter, TermsFilter


def T(field: str, *values: str | float | bool, exclude: bool = False) -> TermsFilter:
    return TermsFilter(field=field, values=list(values), exclude=exclude)


def R(field: str, exclude: bool = False, **bounds: float) -> RangeFilter:
    return RangeFilter(field=field, exclude=exclude, **bounds)


KOPF = "Audio > Kopfhörer"

FACETS: list[tuple[FilterList, list[Filter]]] = [
    ("brand:Spigen", [T("brand", "Spigen")]),
    (["brand:Spigen"], [T("brand", "Spigen")]),
    (
        ["brand:Spigen", "attributes.color:schwarz"],
        [T("brand", "Spigen"), T("attributes.color", "schwarz")],
    ),
    ([["brand:A", "brand:B"], "in_stock:true"], [T("brand", "A", "B"), T("in_stock", True)]),
    ([["brand:A", "brand:B"]], [T("brand", "A", "B")]),
    ([["brand:A"]], [T("brand", "A")]),
    ("-brand:A", [T("brand", "A", exclude=True)]),
    ("brand:-A", [T("brand", "A", exclude=True)]),
    ("brand:\\-A", [T("brand", "-A")]),
    ("-brand:-A", [T("brand", "A")]),
    (["brand:A", "brand:-B"], [T("brand", "A"), T("brand", "B", exclude=True)]),
    ([["brand:A", "brand:-B"]], [AnyOf(any=[T("brand", "A"), T("brand", "B", exclude=True)])]),
    (f"categories.lvl1:{KOPF}", [T("categories.lvl1", KOPF)]),
    ("brand:Hama AG", [T("brand", "Hama AG")]),
    ("brand:a:b", [T("brand", "a:b")]),
    ("brand:Müller & Söhne", [T("brand", "Müller & Söhne")]),
    ("brand:AND", [T("brand", "AND")]),
    ('brand:"quoted"', [T("brand", '"quoted"')]),
    ("in_stock:false", [T("in_stock", False)]),
    ("price:10", [T("price", 10.0)]),
    ("price:\\-12", [T("price", -12.0)]),
    ("objectID:RA-00001", [T("id", "RA-00001")]),
    ("attributes.weight_g:35", [T("attributes.weight_g", "35")]),
    (
        [[f"categories.lvl1:{KOPF}", "categories.lvl1:Audio > Lautsprecher"]],
        [T("categories.lvl1", KOPF, "Audio > Lautsprecher")],
    ),
    (
        [["brand:A", "attributes.color:schwarz"]],
        [AnyOf(any=[T("brand", "A"), T("attributes.color", "schwarz")])],
    ),
    (["brand:A", "brand:B"], [T("brand", "A"), AnyOf(any=[T("brand", "B")])]),
    (["brand:A", "brand:A"], [T("brand", "A")]),
    ([[], "brand:A"], [T("brand", "A")]),
    ([], []),
    # the JSON string form (a `params` string carries it so)
    ('["brand:Spigen"]', [T("brand", "Spigen")]),
    (
        json.dumps([["brand:A", "brand:B"], "in_stock:true"]),
        [T("brand", "A", "B"), T("in_stock", True)],
    ),
    (json.dumps([f"categories.lvl1:{KOPF}"]), [T("categories.lvl1", KOPF)]),
    ('  ["brand:-A"]', [T("brand", "A", exclude=True)]),
]


@pytest.mark.parametrize(("value", "expected"), FACETS, ids=[repr(v) for v, _ in FACETS])
def test_facet_filters_become_filters(value: FilterList, expected: list[Filter]) -> None:
    assert facet_filters(value) == expected


NUMERIC: list[tuple[FilterList, list[Filter]]] = [
    ("price>=10", [R("price", gte=10.0)]),
    ("price >= 10", [R("price", gte=10.0)]),
    ("price:10 TO 20", [R("price", gte=10.0, lte=20.0)]),
    ("price!=3", [T("price", 3.0, exclude=True)]),
    ("price=3", [T("price", 3.0)]),
    ("price<-1.5", [R("price", lt=-1.5)]),
    (
        ["price>10", ["rating>=4", "rating=0"]],
        [R("price", gt=10.0), AnyOf(any=[R("rating", gte=4.0), T("rating", 0.0)])],
    ),
    (["price>=10", "price<=20"], [R("price", gte=10.0, lte=20.0)]),
    ([["price<10", "price>100"]], [AnyOf(any=[R("price", lt=10.0), R("price", gt=100.0)])]),
    ("in_stock=1", [T("in_stock", True)]),
    ("attributes.weight_g>30", [R("attributes.weight_g", gt=30.0)]),
    ('["price>=10", "price<=20"]', [R("price", gte=10.0, lte=20.0)]),
    ([], []),
]


@pytest.mark.parametrize(("value", "expected"), NUMERIC, ids=[repr(v) for v, _ in NUMERIC])
def test_numeric_filters_become_filters(value: FilterList, expected: list[Filter]) -> None:
    assert numeric_filters(value) == expected


BAD_FACETS: list[tuple[object, int, str]] = [
    ("brandSpigen", 1, "facetFilters: write attribute:value"),
    (":Spigen", 1, "facetFilters: write attribute:value"),
    ("brand:", 7, "facetFilters: a value is missing"),
    ("brand:-", 7, "facetFilters: a value is missing"),
    ("colour:schwarz", 1, "facetFilters: unknown attribute 'colour'"),
    ("-colour:schwarz", 2, "unknown attribute 'colour'"),
    (["brand:A", "colour:x"], 1, "facetFilters[1]: unknown attribute 'colour'"),
    ([["brand:A", "colour:x"]], 1, "facetFilters[0][1]: unknown attribute 'colour'"),
    ("_tags:sale", 1, "tag filters (_tags) are not supported"),
    ("in_stock:maybe", 1, "in_stock takes true or false"),
    ("price:cheap", 1, "price takes numbers"),
    ('["brand:A"', 11, "facetFilters: not valid JSON"),
    ('["brand:A", 3]', 1, "facetFilters[1] must be a string or a list of strings"),
    ('[[["brand:A"]]]', 1, "facetFilters[0] must be a string or a list of strings"),
    ([["brand:A", 3]], 1, "facetFilters[0] must be a string or a list of strings"),
    ('{"brand": "A"}', 1, "facetFilters: unknown attribute '{\"brand\"'"),
    ([[f"brand:b{i}" for i in range(101)]], 1, "at most 100"),
    ([[f"attributes.a{i}:x" for i in range(21)]], 1, "at most 20"),
]


@pytest.mark.parametrize(
    ("value", "column", "message"), BAD_FACETS, ids=[repr(v) for v, *_ in BAD_FACETS]
)
def test_malformed_facet_filters_are_refused(value: object, column: int, message: str) -> None:
    with pytest.raises(FilterLanguageError) as caught:
        facet_filters(value)  # type: ignore[arg-type]
    assert message in caught.value.message
    assert caught.value.column == column


BAD_NUMERIC: list[tuple[object, int, str]] = [
    ("price>abc", 7, "numericFilters: Unexpected token string(abc) expected numeric"),
    ("price>", 7, "Unexpected token end of filter expected numeric"),
    ("brand:A", 1, "numericFilters: write one comparison"),
    ("price", 1, "numericFilters: write one comparison"),
    ("price>1 AND price<3", 1, "numericFilters: write one comparison"),
    ("NOT price>1", 1, "numericFilters: write one comparison"),
    ("", 1, "numericFilters: write one comparison"),
    ("brand>3", 1, "numericFilters: brand is not numeric"),
    ("colour>3", 1, "unknown attribute 'colour'"),
    (["price>1", ["rating>x"]], 8, "numericFilters[1][0]: Unexpected token string(x)"),
    ("price:10 TO", 12, "expected numeric"),
    ("[1]", 1, "numericFilters[0] must be a string or a list of strings"),
]


@pytest.mark.parametrize(
    ("value", "column", "message"), BAD_NUMERIC, ids=[repr(v) for v, *_ in BAD_NUMERIC]
)
def test_malformed_numeric_filters_are_refused(value: object, column: int, message: str) -> None:
    with pytest.raises(FilterLanguageError) as caught:
        numeric_filters(value)  # type: ignore[arg-type]
    assert message in caught.value.message
    assert caught.value.column == column
