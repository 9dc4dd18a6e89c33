"""Cache keys: equal requests, however written, share a key; different ones never do."""

from __future__ import annotations

from typing import Any

import pytest

from read_api.cache.keys import autocomplete_key, facet_values_key, product_key, search_key
from read_api.params import SearchRequest, build_query, query_from_body
from read_api.query.cursor import check_cursor, decode_cursor, encode_cursor
from read_api.query.model import AnyOf, Highlight, RangeFilter, SearchQuery, TermsFilter

BRAND = TermsFilter(field="brand", values=["Spigen", "Hama"])
PRICE = RangeFilter(field="effective_price", gte=10.0, lt=30.0)
STOCK = TermsFilter(field="in_stock", values=[True])


def _query(**fields: Any) -> SearchQuery:
    return SearchQuery.model_validate({"text": "hülle", **fields})


def _get(**fields: Any) -> SearchQuery:
    """A query as the GET routes build it (defaults of the query string filled in)."""
    base: dict[str, Any] = {
        "text": "hülle",
        "category": None,
        "filters": [],
        "facets": [],
        "sort": "relevance",
        "page": 1,
        "page_size": 20,
        "cursor": None,
        "highlight": Highlight(),
        "typo_tolerance": True,
        "where": "query",
    }
    return build_query(**{**base, **fields})


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"filters": [BRAND, PRICE, STOCK]}, {"filters": [STOCK, BRAND, PRICE]}),
        (
            {"filters": [BRAND]},
            {"filters": [TermsFilter(field="brand", values=["Hama", "Spigen", "Hama"])]},
        ),
        ({"filters": [BRAND, BRAND]}, {"filters": [BRAND]}),
        (
            {"filters": [AnyOf(any=[BRAND, STOCK])]},
            {"filters": [AnyOf(any=[STOCK, BRAND, STOCK])]},
        ),
        (
            {"highlight": Highlight(enabled=False, pre_tag="[")},
            {"highlight": Highlight(enabled=False)},
        ),
    ],
)
def test_equal_searches_share_a_key(one: dict[str, Any], other: dict[str, Any]) -> None:
    assert search_key(_query(**one)) == search_key(_query(**other))


def test_defaults_written_out_or_left_away_share_a_key() -> None:
    assert search_key(_get()) == search_key(_get(sort="relevance", page=1, typo_tolerance=True))
    assert search_key(_query()) == search_key(_get())


def test_a_post_search_shares_the_key_of_the_same_get_search() -> None:
    body = SearchRequest.model_validate(
        {"q": "hülle", "filters": [PRICE.model_dump(), BRAND.model_dump()], "page_size": 20}
    )
    assert search_key(query_from_body(body, 20)) == search_key(_get(filters=[BRAND, PRICE]))


@pytest.mark.parametrize(
    "change",
    [
        {"text": "hülle "},
        {"text": "Hülle"},
        {"category": "Audio"},
        {"filters": [BRAND]},
        {"filters": [BRAND.model_copy(update={"exclude": True})]},
        {"filters": [TermsFilter(field="brand", values=["Spigen"])]},
        {"sort": "price_asc"},
        {"page": 2},
        {"page_size": 21},
        {"facets": [{"field": "brand"}]},
        {"highlight": Highlight(pre_tag="<b>")},
        {"highlight": Highlight(enabled=False)},
        {"typo_tolerance": False},
    ],
)
def test_any_difference_in_the_search_gives_another_key(change: dict[str, Any]) -> None:
    assert search_key(_get(**change)) != search_key(_get())


def test_facet_order_is_kept_because_the_answer_lists_facets_in_it() -> None:
    one = _query(facets=[{"field": "brand"}, {"field": "categories"}])
    other = _query(facets=[{"field": "categories"}, {"field": "brand"}])
    assert search_key(one) != search_key(other)


def test_endpoints_never_share_keys() -> None:
    query = _query()
    highlight = Highlight()
    keys = {
        search_key(query),
        facet_values_key(query, "brand", "", 10),
        autocomplete_key("hülle", products=5, completions=5, categories=5, highlight=highlight),
        product_key("hülle"),
    }
    assert len(keys) == 4


def test_other_arguments_of_the_small_endpoints_give_other_keys() -> None:
    highlight = Highlight()
    counts = {"products": 5, "completions": 5, "categories": 5}
    base = autocomplete_key("iph", **counts, highlight=highlight)
    assert base == autocomplete_key("iph", **counts, highlight=Highlight())
    assert base != autocomplete_key("iph", **{**counts, "products": 4}, highlight=highlight)
    assert base != autocomplete_key("iph", **counts, highlight=Highlight(pre_tag="<b>"))
    query = _query()
    values = facet_values_key(query, "brand", "sp", 10)
    assert values == facet_values_key(_query(), "brand", "sp", 10)
    assert values != facet_values_key(query, "brand", "spi", 10)
    assert values != facet_values_key(query, "attributes.color", "sp", 10)
    assert values != facet_values_key(query, "brand", "sp", 11)
    # facet values mark the typed part with the tags even when hit highlighting is off
    off = _query(highlight=Highlight(enabled=False))
    off_tagged = _query(highlight=Highlight(enabled=False, pre_tag="["))
    assert facet_values_key(off, "brand", "sp", 10) != facet_values_key(
        off_tagged, "brand", "sp", 10
    )
    assert product_key("A-1") != product_key("A-2")


def test_a_cursor_fits_the_same_filters_in_another_order() -> None:
    # equal searches share one cached answer, so its next_cursor must fit both
    one = _query(sort="price_asc", filters=[BRAND, PRICE])
    other = _query(
        sort="price_asc", filters=[PRICE, TermsFilter(field="brand", values=["Hama", "Spigen"])]
    )
    key, _ = decode_cursor(encode_cursor(one, [1.0, "A"]), "price_asc")
    check_cursor(other, key)
