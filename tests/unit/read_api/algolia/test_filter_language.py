"""Algolia's `filters` language: expressions to query-model filters, and the errors it gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from read_api.algolia.filter_language import (
    AND_IN_OR_FIRST,
    AND_IN_OR_LATER,
    NO_TAGS,
    FilterLanguageError,
    parse_filters,
    tree_filters,
)
from read_api.algolia.filter_parser import AllOf, Condition, Node, OneOf, parse_tree
from read_api.algolia.filter_tokens import KEYWORDS
from read_api.query.model import AnyOf, Filter, RangeFilter, TermsFilter


def T(field: str, *values: str | float | bool, exclude: bool = False) -> TermsFilter:
    return TermsFilter(field=field, values=list(values), exclude=exclude)


def R(field: str, exclude: bool = False, **bounds: float | str) -> RangeFilter:
    return RangeFilter(field=field, exclude=exclude, **bounds)


def A(*members: TermsFilter | RangeFilter) -> AnyOf:
    return AnyOf(any=list(members))


BRAND_A, BRAND_B, BRAND_C = T("brand", "A"), T("brand", "B"), T("brand", "C")
STOCK = T("in_stock", True)
CHEAP = R("price", lt=10.0)
KOPF = "Audio > Kopfhörer"

VALID: list[tuple[str, list[Filter]]] = [
    # facet values: plain, quoted, escaped
    ("brand:Spigen", [T("brand", "Spigen")]),
    ("brand:spigen", [T("brand", "spigen")]),
    ('brand:"Spigen"', [T("brand", "Spigen")]),
    ("brand:'Spigen'", [T("brand", "Spigen")]),
    ('brand:"Hama AG"', [T("brand", "Hama AG")]),
    ("brand:Hama\\ AG", [T("brand", "Hama AG")]),
    ('brand:"say \\"hi\\""', [T("brand", 'say "hi"')]),
    ("brand:'it\\'s'", [T("brand", "it's")]),
    ('brand:"it\'s"', [T("brand", "it's")]),
    ("brand:'say \"hi\"'", [T("brand", 'say "hi"')]),
    ('brand:"back\\\\slash"', [T("brand", "back\\slash")]),
    ('brand:"unknown \\x escape"', [T("brand", "unknown x escape")]),
    ('brand:"AND"', [T("brand", "AND")]),
    ("brand:and", [T("brand", "and")]),
    ("brand:'OR'", [T("brand", "OR")]),
    ("brand:\\NOT", [T("brand", "NOT")]),
    ("brand:to", [T("brand", "to")]),
    ('brand:"a:b"', [T("brand", "a:b")]),
    ("brand:a\\:b", [T("brand", "a:b")]),
    ('brand:"(x)"', [T("brand", "(x)")]),
    ("brand:-Hama", [T("brand", "-Hama")]),
    ("brand:a!b", [T("brand", "a!b")]),
    ('"brand":Spigen', [T("brand", "Spigen")]),
    ("'brand':Spigen", [T("brand", "Spigen")]),
    ("brand : Spigen", [T("brand", "Spigen")]),
    ("  brand:Spigen  ", [T("brand", "Spigen")]),
    ("brand:Spigen\n", [T("brand", "Spigen")]),
    ("\tbrand:Spigen", [T("brand", "Spigen")]),
    ("\r\nbrand:Spigen\f", [T("brand", "Spigen")]),
    # unicode
    ("brand:Kopfhörer", [T("brand", "Kopfhörer")]),
    ('brand:"Müller & Söhne"', [T("brand", "Müller & Söhne")]),
    ("brand:Ärger", [T("brand", "Ärger")]),
    ("brand:Straße", [T("brand", "Straße")]),
    ("brand:日本", [T("brand", "日本")]),
    ("brand:10", [T("brand", "10")]),
    ("brand:3M", [T("brand", "3M")]),
    # categories
    ("categories.lvl0:Audio", [T("categories.lvl0", "Audio")]),
    (f'categories.lvl1:"{KOPF}"', [T("categories.lvl1", KOPF)]),
    (
        'categories.lvl2:"Handyzubehör > Hüllen > iPhone Hüllen"',
        [T("categories.lvl2", "Handyzubehör > Hüllen > iPhone Hüllen")],
    ),
    ('categories.lvl5:"A > B > C > D > E > F"', [T("categories.lvl5", "A > B > C > D > E > F")]),
    (
        f'categories.lvl0:Audio AND categories.lvl1:"{KOPF}"',
        [T("categories.lvl0", "Audio"), A(T("categories.lvl1", KOPF))],
    ),
    (
        f'categories.lvl1:"{KOPF}" OR categories.lvl1:"Audio > Lautsprecher"',
        [T("categories.lvl1", KOPF, "Audio > Lautsprecher")],
    ),
    (
        'categories.lvl0:Audio OR categories.lvl1:"Handy > Hüllen"',
        [A(T("categories.lvl0", "Audio"), T("categories.lvl1", "Handy > Hüllen"))],
    ),
    ("NOT categories.lvl0:Audio", [T("categories.lvl0", "Audio", exclude=True)]),
    # attributes
    ("attributes.color:schwarz", [T("attributes.color", "schwarz")]),
    ("attributes.color:Schwarz", [T("attributes.color", "Schwarz")]),
    (
        'attributes.compatible_devices:"iPhone 15"',
        [T("attributes.compatible_devices", "iPhone 15")],
    ),
    ("attributes.weight_g:35", [T("attributes.weight_g", "35")]),
    ("attributes.wireless:true", [T("attributes.wireless", "true")]),
    (
        "attributes.color:schwarz OR attributes.color:weiß",
        [T("attributes.color", "schwarz", "weiß")],
    ),
    (
        'attributes.compatible_devices:"iPhone 15" AND attributes.compatible_devices:"iPhone 14"',
        [
            T("attributes.compatible_devices", "iPhone 15"),
            A(T("attributes.compatible_devices", "iPhone 14")),
        ],
    ),
    ("attributes.weight_g > 30", [R("attributes.weight_g", gt=30.0)]),
    ("attributes.weight_g:10 TO 50", [R("attributes.weight_g", gte=10.0, lte=50.0)]),
    ("attributes.weight_g = 35", [R("attributes.weight_g", gte=35.0, lte=35.0)]),
    ("attributes.weight_g != 35", [R("attributes.weight_g", exclude=True, gte=35.0, lte=35.0)]),
    ("NOT attributes.color:schwarz", [T("attributes.color", "schwarz", exclude=True)]),
    # booleans
    ("in_stock:true", [STOCK]),
    ("in_stock:false", [T("in_stock", False)]),
    ("in_stock:TRUE", [STOCK]),
    ("on_sale:true", [T("on_sale", True)]),
    ('in_stock:"true"', [STOCK]),
    ("in_stock = 1", [STOCK]),
    ("in_stock = 0", [T("in_stock", False)]),
    ("in_stock != 1", [T("in_stock", True, exclude=True)]),
    ("NOT in_stock:true", [T("in_stock", True, exclude=True)]),
    ("in_stock:true OR on_sale:true", [A(STOCK, T("on_sale", True))]),
    # objectID
    ("objectID:RA-00001", [T("id", "RA-00001")]),
    ("objectID:RA-00001 OR objectID:RA-00002", [T("id", "RA-00001", "RA-00002")]),
    ("NOT objectID:RA-00001", [T("id", "RA-00001", exclude=True)]),
    # numeric comparisons
    ("price < 10", [CHEAP]),
    ("price<=10", [R("price", lte=10.0)]),
    ("price = 10", [T("price", 10.0)]),
    ("price != 10", [T("price", 10.0, exclude=True)]),
    ("price >= 10", [R("price", gte=10.0)]),
    ("price > 10", [R("price", gt=10.0)]),
    ("price>10", [R("price", gt=10.0)]),
    ("price > 12.99", [R("price", gt=12.99)]),
    ("price > -5", [R("price", gt=-5.0)]),
    ("price > +5", [R("price", gt=5.0)]),
    ("price > 1e3", [R("price", gt=1000.0)]),
    ("price > 1.5E-1", [R("price", gt=0.15)]),
    ("price > .5", [R("price", gt=0.5)]),
    ("price > 5.", [R("price", gt=5.0)]),
    ("price >= 0", [R("price", gte=0.0)]),
    ("rating >= 4.5", [R("rating", gte=4.5)]),
    ("review_count > 100", [R("review_count", gt=100.0)]),
    ("stock > 0", [R("stock", gt=0.0)]),
    ("sale_price < 20", [R("sale_price", lt=20.0)]),
    ("effective_price <= 20", [R("effective_price", lte=20.0)]),
    ("NOT price < 10", [R("price", exclude=True, lt=10.0)]),
    ("NOT price != 10", [T("price", 10.0)]),
    ("NOT price = 10", [T("price", 10.0, exclude=True)]),
    # ranges
    ("price:10 TO 20", [R("price", gte=10.0, lte=20.0)]),
    ("price: 10 TO 20", [R("price", gte=10.0, lte=20.0)]),
    ("price:10TO20", [R("price", gte=10.0, lte=20.0)]),
    ("price:-5 TO 5", [R("price", gte=-5.0, lte=5.0)]),
    ("price:1.5 TO 2.5", [R("price", gte=1.5, lte=2.5)]),
    ("price:20 TO 10", [R("price", gte=20.0, lte=10.0)]),
    ("NOT price:10 TO 20", [R("price", exclude=True, gte=10.0, lte=20.0)]),
    ("rating:4 TO 5", [R("rating", gte=4.0, lte=5.0)]),
    # facet syntax on numbers
    ("price:10", [T("price", 10.0)]),
    ('price:"10"', [T("price", 10.0)]),
    ("rating:4.5", [T("rating", 4.5)]),
    # dates compare as Unix seconds
    ("created_at > 1700000000", [R("created_at", gt="2023-11-14T22:13:20Z")]),
    (
        "updated_at:1700000000 TO 1700086400",
        [R("updated_at", gte="2023-11-14T22:13:20Z", lte="2023-11-15T22:13:20Z")],
    ),
    ("created_at = 0", [R("created_at", gte="1970-01-01T00:00:00Z", lte="1970-01-01T00:00:00Z")]),
    # AND, OR, NOT, parentheses, precedence (OR binds tighter than AND, as in Algolia)
    ("brand:A AND in_stock:true", [BRAND_A, STOCK]),
    ("brand:A OR brand:B", [T("brand", "A", "B")]),
    ("brand:A OR brand:B OR brand:C", [T("brand", "A", "B", "C")]),
    ("(brand:A OR brand:B) AND in_stock:true", [T("brand", "A", "B"), STOCK]),
    ("in_stock:true AND (brand:A OR brand:B)", [STOCK, T("brand", "A", "B")]),
    ("brand:A OR brand:B AND in_stock:true", [T("brand", "A", "B"), STOCK]),
    ("in_stock:true AND brand:A OR brand:B", [STOCK, T("brand", "A", "B")]),
    ("brand:A OR price < 10", [A(BRAND_A, CHEAP)]),
    (
        "(brand:A OR price < 10) AND (in_stock:true OR rating >= 4)",
        [A(BRAND_A, CHEAP), A(STOCK, R("rating", gte=4.0))],
    ),
    ("NOT brand:A AND NOT brand:B", [T("brand", "A", exclude=True), T("brand", "B", exclude=True)]),
    (
        "NOT brand:A OR NOT brand:B",
        [A(T("brand", "A", exclude=True), T("brand", "B", exclude=True))],
    ),
    ("brand:A OR NOT brand:B", [A(BRAND_A, T("brand", "B", exclude=True))]),
    ("NOT brand:A OR brand:B", [A(T("brand", "A", exclude=True), BRAND_B)]),
    ("brand:A AND NOT brand:B", [BRAND_A, T("brand", "B", exclude=True)]),
    ("((brand:A))", [BRAND_A]),
    ("(" * 32 + "brand:A" + ")" * 32, [BRAND_A]),
    ("(brand:A OR (brand:B OR brand:C))", [T("brand", "A", "B", "C")]),
    ("((brand:A OR brand:B)) AND ((in_stock:true))", [T("brand", "A", "B"), STOCK]),
    ("(brand:A AND in_stock:true)", [BRAND_A, STOCK]),
    ("(brand:A AND in_stock:true) AND price < 10", [BRAND_A, STOCK, CHEAP]),
    ("brand:A AND (in_stock:true AND price < 10)", [BRAND_A, STOCK, CHEAP]),
    ("price >= 10 AND price <= 20", [R("price", gte=10.0, lte=20.0)]),
    ("price > 10 AND price >= 10", [R("price", gt=10.0)]),
    ("price:10 TO 20 AND price < 15", [R("price", gte=10.0, lt=15.0)]),
    ("brand:A AND brand:A", [BRAND_A]),
    ("brand:A OR brand:A", [BRAND_A]),
    ("brand:A AND brand:B", [BRAND_A, A(BRAND_B)]),
    ("price < 10 OR price > 100", [A(CHEAP, R("price", gt=100.0))]),
    ("price < 10 OR price > 100 AND brand:A", [A(CHEAP, R("price", gt=100.0)), BRAND_A]),
    (
        "brand:A OR attributes.color:schwarz OR price < 10",
        [A(BRAND_A, T("attributes.color", "schwarz"), CHEAP)],
    ),
    (
        "brand:A OR attributes.color:schwarz OR brand:B",
        [A(T("brand", "A", "B"), T("attributes.color", "schwarz"))],
    ),
    (
        "(brand:A OR brand:B) AND (brand:C OR brand:D)",
        [T("brand", "A", "B"), A(T("brand", "C", "D"))],
    ),
    ('NOT brand:"Hama AG"', [T("brand", "Hama AG", exclude=True)]),
    # white space
    ("", []),
    ("   ", []),
    ("\n\t", []),
    ("brand:A AND\nin_stock:true", [BRAND_A, STOCK]),
    ("brand:A\tOR\tbrand:B", [T("brand", "A", "B")]),
    ("(brand:A)AND(in_stock:true)", [BRAND_A, STOCK]),
    ("brand:\"A\" OR brand:'B'", [T("brand", "A", "B")]),
    (
        "in_stock:true AND attributes.color:schwarz AND categories.lvl0:Audio AND price:10 TO 50",
        [
            STOCK,
            T("attributes.color", "schwarz"),
            T("categories.lvl0", "Audio"),
            R("price", gte=10.0, lte=50.0),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[t[:60] or "<empty>" for t, _ in VALID])
def test_expressions_become_filters(text: str, expected: list[Filter]) -> None:
    assert parse_filters(text) == expected


def test_the_table_is_large() -> None:
    assert len(VALID) >= 120
    assert len(INVALID) >= 40


MANY_ATTRIBUTES = " OR ".join(f"attributes.a{i}:x" for i in range(21))
MANY_BRANDS = " OR ".join(f"brand:b{i}" for i in range(101))

INVALID: list[tuple[str, int, str]] = [
    # parentheses
    ("(brand:A", 9, "Unexpected token end of filter expected ')'"),
    ("brand:A)", 8, "Unexpected token ')' expected end of filter"),
    ("((brand:A)", 11, "Unexpected token end of filter expected ')'"),
    ("()", 2, "Unexpected token ')' expected filter"),
    ("(", 2, "Unexpected token end of filter expected filter"),
    (")", 1, "Unexpected token ')' expected filter"),
    ("(brand:A))", 10, "Unexpected token ')' expected end of filter"),
    # dangling operators
    ("brand:A AND", 12, "Unexpected token end of filter expected filter"),
    ("AND brand:A", 1, "Unexpected token 'AND' expected filter"),
    ("brand:A OR", 11, "Unexpected token end of filter expected filter"),
    ("OR brand:A", 1, "Unexpected token 'OR' expected filter"),
    ("brand:A AND AND in_stock:true", 13, "Unexpected token 'AND' expected filter"),
    ("brand:A OR OR brand:B", 12, "Unexpected token 'OR' expected filter"),
    ("NOT", 4, "Unexpected token end of filter expected filter"),
    ("NOT NOT brand:A", 5, "Unexpected token 'NOT' expected filter"),
    ("brand:A NOT brand:B", 9, "Unexpected token 'NOT' expected end of filter"),
    ("brand:A AND OR brand:B", 13, "Unexpected token 'OR' expected filter"),
    # missing or empty values
    ("brand:", 7, "Unexpected token end of filter expected string"),
    ("brand: AND in_stock:true", 8, "Unexpected token 'AND' expected string"),
    ('brand:""', 7, "Unexpected token empty string expected string"),
    ('"":Hama', 1, "Unexpected token empty string expected filter"),
    (":Hama", 1, "Unexpected token ':' expected filter"),
    ("brand:(Hama)", 7, "Unexpected token '(' expected string"),
    ("brand::Hama", 7, "Unexpected token ':' expected string"),
    # quotes
    ('brand:"Hama', 7, "Unexpected token incomplete string expected filter"),
    ("brand:'Hama", 7, "Unexpected token incomplete string expected filter"),
    ('brand:"Hama\\"', 7, "Unexpected token incomplete string expected filter"),
    ("brand:Hama AG", 12, "Unexpected token string(AG) expected end of filter"),
    ('brand:"A" "B"', 11, "Unexpected token string(B) expected end of filter"),
    # operators are capitals only
    ("brand:a and brand:b", 9, "Unexpected token string(and) expected end of filter"),
    ("brand:a or brand:b", 9, "Unexpected token string(or) expected end of filter"),
    ("not brand:a", 5, "Unexpected token string(brand) expected end of filter"),
    ("price:10 to 20", 10, "Unexpected token string(to) expected end of filter"),
    # numbers
    ("price < abc", 9, "Unexpected token string(abc) expected numeric"),
    ("price <", 8, "Unexpected token end of filter expected numeric"),
    ('price < "10"', 9, "Unexpected token string(10) expected numeric"),
    ("price < 10 < 20", 12, "Unexpected token '<' expected end of filter"),
    ("price:10 TO", 12, "Unexpected token end of filter expected numeric"),
    ("price:10 TO abc", 13, "Unexpected token string(abc) expected numeric"),
    ("price:abc TO 20", 11, "Unexpected token 'TO' expected end of filter"),
    ("price => 10", 8, "Unexpected token '>' expected numeric"),
    ("price < nan", 9, "Unexpected token string(nan) expected numeric"),
    ("price < inf", 9, "Unexpected token string(inf) expected numeric"),
    ("price = 10 20", 12, "Unexpected token numeric(20) expected end of filter"),
    ("price < 1\\0", 9, "Unexpected token string(10) expected numeric"),
    ("price > 1e400", 1, "bounds must be finite"),
    ("created_at > 1e20", 1, "is not a date"),
    # conjunctions of disjunctions only
    ("(brand:A AND brand:B) OR in_stock:true", 23, AND_IN_OR_FIRST),
    ("brand:A OR (brand:B AND in_stock:true)", 21, AND_IN_OR_LATER),
    ("(brand:A AND brand:B OR in_stock:true) OR price < 10", 40, AND_IN_OR_FIRST),
    ("brand:A OR (brand:B OR in_stock:true AND price < 3)", 38, AND_IN_OR_LATER),
    ("((brand:A AND brand:B)) OR in_stock:true", 25, AND_IN_OR_FIRST),
    ("NOT (brand:A OR brand:B)", 5, "Unexpected token '(' expected filter"),
    ("NOT(brand:A)", 4, "NOT negates one filter, not a group"),
    # tags
    ("hama", 1, NO_TAGS),
    ('"Hama AG"', 1, NO_TAGS),
    ("brand:A AND hama", 13, NO_TAGS),
    ("NOT hama", 5, NO_TAGS),
    ("_tags:sale", 1, "tag filters (_tags) are not supported"),
    # unknown attributes
    ("colour:schwarz", 1, "unknown attribute 'colour'"),
    ("brand:A AND Brand:B", 13, "unknown attribute 'Brand'"),
    ("title:Hülle", 1, "unknown attribute 'title'"),
    ("id:RA-00001", 1, "unknown attribute 'id'"),
    ("categories:Audio", 1, "unknown attribute 'categories'"),
    ("categories.lvl6:Audio", 1, "unknown attribute 'categories.lvl6'"),
    ("attributes.Color:schwarz", 1, "unknown attribute 'attributes.Color'"),
    ("attributes.:schwarz", 1, "unknown attribute 'attributes.'"),
    ("price_eur < 3", 1, "unknown attribute 'price_eur'"),
    # values that do not fit the attribute
    ("brand > 3", 1, "brand is not numeric"),
    ("objectID < 3", 1, "objectID is not numeric"),
    ("categories.lvl0 > 1", 1, "categories.lvl0 is not numeric"),
    ("brand:10 TO 20", 1, "brand is not numeric"),
    ("price:cheap", 1, "price takes numbers"),
    ("in_stock:yes", 1, "in_stock takes true or false"),
    ("in_stock > 0", 1, "in_stock is a boolean"),
    ("in_stock = 2", 1, "in_stock is a boolean"),
    ("created_at:2024", 1, "created_at is a date"),
    ("brand:A AND in_stock:maybe", 13, "in_stock takes true or false"),
    # too many alternatives
    (MANY_ATTRIBUTES, 1, "at most 20"),
    (MANY_BRANDS, 1, "at most 100"),
    ("(" * 33 + "brand:A" + ")" * 33, 33, "at most 32 nested parentheses"),
    ("(" * 10_000, 33, "at most 32 nested parentheses"),
]


@pytest.mark.parametrize(
    ("text", "column", "message"), INVALID, ids=[t[:60] for t, _, _ in INVALID]
)
def test_malformed_expressions_say_what_and_where(text: str, column: int, message: str) -> None:
    with pytest.raises(FilterLanguageError) as caught:
        parse_filters(text)
    assert message in caught.value.message
    assert caught.value.column == column
    assert str(caught.value) == f"{caught.value.message} at col {column}"
    assert isinstance(caught.value, ValueError)


# --- property: random valid trees, written out, read back as the same tree ---------------

_SAFE_WORD = re.compile(r"[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß0-9_.-]*")
_VALUE_CHARS = st.sampled_from([*"abcXYZ äöüß:()<>=!\"'\\-_.,>&", "AND", "OR", "TO", "€"])


def _facet_conditions() -> st.SearchStrategy[Condition]:
    attribute = st.sampled_from(["brand", "attributes.color", "categories.lvl1", "objectID"])
    value = st.lists(_VALUE_CHARS, min_size=1, max_size=6).map("".join)
    return st.builds(Condition, attribute, st.just(":"), value, st.none(), st.booleans())


def _numbers() -> st.SearchStrategy[str]:
    integers = st.integers(-10_000, 10_000).map(str)
    decimals = st.decimals(-1000, 1000, places=2, allow_nan=False).map(str)
    return st.one_of(integers, decimals, st.sampled_from(["1e3", "2.5E-1", ".5", "7."]))


def _numeric_conditions() -> st.SearchStrategy[Condition]:
    attribute = st.sampled_from(["price", "rating", "stock", "attributes.weight_g"])
    operator = st.sampled_from(["<", "<=", "=", "!=", ">=", ">"])
    comparison = st.builds(Condition, attribute, operator, _numbers(), st.none(), st.booleans())
    ranges = st.builds(Condition, attribute, st.just("TO"), _numbers(), _numbers(), st.booleans())
    boolean = st.builds(
        Condition,
        st.sampled_from(["in_stock", "on_sale"]),
        st.just(":"),
        st.sampled_from(["true", "false"]),
        st.none(),
        st.booleans(),
    )
    return st.one_of(comparison, ranges, boolean)


CONDITIONS = st.one_of(_facet_conditions(), _numeric_conditions())
DISJUNCTIONS: st.SearchStrategy[Node] = st.recursive(
    CONDITIONS,
    lambda inner: st.lists(inner, min_size=2, max_size=3).map(lambda xs: OneOf(tuple(xs))),
    max_leaves=4,
)
TREES: st.SearchStrategy[Node] = st.recursive(
    DISJUNCTIONS,
    lambda inner: st.lists(inner, min_size=2, max_size=3).map(lambda xs: AllOf(tuple(xs))),
    max_leaves=8,
)


def _quoted(text: str, quote: str) -> str:
    return quote + text.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote


def _value(text: str, draw: st.DrawFn) -> str:
    if _SAFE_WORD.fullmatch(text) and text not in KEYWORDS and draw(st.booleans()):
        return text
    return _quoted(text, draw(st.sampled_from(['"', "'"])))


def _render(node: Node, draw: st.DrawFn) -> str:
    space = draw(st.sampled_from([" ", "  ", "\n", "\t "]))
    if isinstance(node, Condition):
        negation = "NOT" + space if node.negated else ""
        if node.operator == ":":
            return f"{negation}{node.attribute}{draw(st.sampled_from(['', ' ']))}:" + _value(
                node.value, draw
            )
        if node.operator == "TO":
            return f"{negation}{node.attribute}:{node.value} TO {node.high}"
        return f"{negation}{node.attribute}{space}{node.operator}{space}{node.value}"
    parts = []
    for item in node.items:
        text = _render(item, draw)
        # a group of the same kind needs its parentheses to stay a group; OR inside AND
        # (OR binds tighter) and single conditions may have them or not
        needed = type(item) is type(node)
        if needed or (not isinstance(item, AllOf) and draw(st.booleans())):
            text = f"({text})"
        parts.append(text)
    operator = " OR " if isinstance(node, OneOf) else " AND "
    return operator.join(parts)


@st.composite
def _written(draw: st.DrawFn) -> tuple[Node, str]:
    tree = draw(TREES)
    text = _render(tree, draw)
    if draw(st.booleans()):
        text = f"({text})"
    return tree, text


@settings(max_examples=300, deadline=None)
@given(_written())
def test_written_trees_read_back_as_the_same_tree_and_filters(written: tuple[Node, str]) -> None:
    tree, text = written
    assert parse_tree(text) == tree
    assert parse_filters(text) == tree_filters(tree)
