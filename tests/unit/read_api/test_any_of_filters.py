"""`AnyOf`: alternatives across fields, their facet groups, and conjunctions in query form."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from read_api.analytics.filter_description import describe_filter
from read_api.query.builder import search_body
from read_api.query.filters import group_clauses, group_of, selected_values
from read_api.query.model import (
    MAX_ANY_MEMBERS,
    AnyOf,
    Filter,
    RangeFilter,
    SearchQuery,
    TermsFilter,
    conjunction,
)

FILTER = TypeAdapter(Filter)
HAMA = TermsFilter(field="brand", values=["Hama"])
SPIGEN = TermsFilter(field="brand", values=["Spigen"])
CHEAP = RangeFilter(field="price", lt=10.0)
IN_STOCK = TermsFilter(field="in_stock", values=[True])
HAMA_OR_CHEAP = AnyOf(any=[HAMA, CHEAP])

BRAND_HAMA = {"terms": {"brand": ["Hama"]}}
PRICE_CHEAP = {"range": {"price": {"lt": 10.0}}}


def _should(*clauses: dict[str, Any]) -> dict[str, Any]:
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


def test_the_json_body_names_alternatives_with_any() -> None:
    parsed = FILTER.validate_python(
        {"any": [{"field": "brand", "values": ["Hama"]}, {"field": "price", "lt": 10}]}
    )
    assert parsed == HAMA_OR_CHEAP
    assert FILTER.validate_python({"field": "price", "lt": 10}) == CHEAP
    assert FILTER.validate_python({"field": "brand", "values": ["Hama"]}) == HAMA


@pytest.mark.parametrize(
    "data",
    [
        {"any": []},
        {"any": [{"any": [{"field": "brand", "values": ["Hama"]}]}]},
        {"any": [{"field": "nope", "values": ["x"]}]},
        {"any": [{"field": "brand", "values": ["Hama"]}], "exclude": True},
        {"any": [{"field": "brand", "values": ["Hama"]}] * (MAX_ANY_MEMBERS + 1)},
        {"any": [{"field": "price", "values": ["cheap"]}]},
        {"any": "brand:Hama"},
    ],
    ids=["empty", "nested", "unknown-field", "exclude", "too-many", "bad-value", "not-a-list"],
)
def test_malformed_alternatives_do_not_validate(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        FILTER.validate_python(data)


def test_alternatives_across_fields_form_a_group_of_their_own() -> None:
    assert group_of(HAMA_OR_CHEAP) == "any:brand,price"
    assert group_of(AnyOf(any=[CHEAP, HAMA])) == "any:brand,price"
    assert group_clauses([HAMA_OR_CHEAP]) == {
        "any:brand,price": {"bool": {"filter": [_should(BRAND_HAMA, PRICE_CHEAP)]}}
    }


def test_an_excluded_member_holds_where_its_value_is_absent() -> None:
    item = AnyOf(any=[HAMA, RangeFilter(field="price", lt=10.0, exclude=True)])
    assert group_clauses([item]) == {
        "any:brand,price": {
            "bool": {"filter": [_should(BRAND_HAMA, {"bool": {"must_not": [PRICE_CHEAP]}})]}
        }
    }


def test_two_alternatives_over_the_same_fields_are_both_required() -> None:
    other = AnyOf(any=[SPIGEN, RangeFilter(field="price", gt=100.0)])
    clause = group_clauses([HAMA_OR_CHEAP, other])["any:brand,price"]
    assert len(clause["bool"]["filter"]) == 2


def test_alternatives_of_one_field_join_its_group_as_one_more_condition() -> None:
    ends = AnyOf(any=[CHEAP, RangeFilter(field="price", gt=100.0)])
    assert group_of(ends) == "price"
    groups = group_clauses([RangeFilter(field="price", gte=5.0), ends])
    assert groups == {
        "price": {
            "bool": {
                "filter": [
                    {"range": {"price": {"gte": 5.0}}},
                    _should(PRICE_CHEAP, {"range": {"price": {"gt": 100.0}}}),
                ]
            }
        }
    }


def test_category_levels_are_one_group_for_alternatives_too() -> None:
    levels = AnyOf(
        any=[
            TermsFilter(field="categories.lvl0", values=["Audio"]),
            TermsFilter(field="categories.lvl1", values=["Handy > Hüllen"]),
        ]
    )
    assert group_of(levels) == "categories"


def test_groups_without_alternatives_keep_their_clauses() -> None:
    plain: list[Filter] = [
        HAMA,
        SPIGEN,
        TermsFilter(field="brand", values=["Apple"], exclude=True),
        CHEAP,
    ]
    with_any = group_clauses([*plain, AnyOf(any=[IN_STOCK, CHEAP])])
    assert {k: v for k, v in with_any.items() if not k.startswith("any:")} == group_clauses(plain)


def _post_and_fixed(query: SearchQuery) -> tuple[list[Any], list[Any]]:
    body = search_body(query)
    post = body.get("post_filter", {"bool": {"filter": []}})["bool"]["filter"]
    fixed = body["query"]["function_score"]["query"]["bool"]["filter"]
    return post, fixed


def test_no_facet_ignores_alternatives_across_fields() -> None:
    query = SearchQuery(filters=[HAMA_OR_CHEAP], facets=[{"field": "brand"}, {"field": "price"}])
    post, fixed = _post_and_fixed(query)
    assert post == []
    assert group_clauses([HAMA_OR_CHEAP])["any:brand,price"] in fixed
    for agg in search_body(query)["aggs"].values():
        assert agg["filter"] == {"match_all": {}}  # nothing left out: it is in the query


def test_a_facet_ignores_alternatives_on_its_own_field_only() -> None:
    ends = AnyOf(any=[CHEAP, RangeFilter(field="price", gt=100.0)])
    query = SearchQuery(filters=[ends, HAMA], facets=[{"field": "price"}, {"field": "brand"}])
    body = search_body(query)
    price_clause = group_clauses([ends])["price"]
    assert price_clause in body["post_filter"]["bool"]["filter"]
    price_facet, brand_facet = body["aggs"]["facet_0"], body["aggs"]["facet_1"]
    assert price_clause not in price_facet["filter"]["bool"]["filter"]
    assert price_clause in brand_facet["filter"]["bool"]["filter"]


def test_a_conjunction_keeps_filters_of_different_fields_as_they_are() -> None:
    assert conjunction([HAMA, CHEAP, IN_STOCK]) == [HAMA, CHEAP, IN_STOCK]
    assert conjunction([HAMA, HAMA]) == [HAMA]
    assert conjunction([]) == []


def test_a_conjunction_intersects_ranges_of_one_field() -> None:
    found = conjunction(
        [RangeFilter(field="price", gte=10.0), RangeFilter(field="price", lte=20.0)]
    )
    assert found == [RangeFilter(field="price", gte=10.0, lte=20.0)]
    stricter = conjunction(
        [
            RangeFilter(field="price", gte=10.0, lt=50.0),
            RangeFilter(field="price", gt=10.0, lte=50.0),
            RangeFilter(field="price", gte=5.0, lte=40.0),
        ]
    )
    assert stricter == [RangeFilter(field="price", gt=10.0, lte=40.0)]


def test_a_conjunction_requires_a_second_value_of_one_field_on_its_own() -> None:
    found = conjunction([HAMA, SPIGEN])
    assert found == [HAMA, AnyOf(any=[SPIGEN])]
    # both must hold: the plain filter and the one-member alternative, in one group
    assert group_clauses(found)["brand"]["bool"]["filter"] == [
        BRAND_HAMA,
        {"terms": {"brand": ["Spigen"]}},
    ]
    assert conjunction(found) == found  # idempotent


def test_a_conjunction_leaves_exclusions_and_dates_alone() -> None:
    not_hama = TermsFilter(field="brand", values=["Hama"], exclude=True)
    assert conjunction([HAMA, not_hama, not_hama]) == [HAMA, not_hama]
    since = RangeFilter(field="created_at", gte="2024-01-01T00:00:00Z")
    until = RangeFilter(field="created_at", lt="2025-01-01T00:00:00Z")
    assert conjunction([since, until]) == [since, AnyOf(any=[until])]


def test_analytics_describe_alternatives() -> None:
    assert describe_filter(HAMA_OR_CHEAP) == "brand:Hama OR price:(,10)"


def test_values_chosen_within_a_group_are_selected_but_not_across_groups() -> None:
    within = AnyOf(any=[SPIGEN, TermsFilter(field="brand", values=["Apple"], exclude=True)])
    assert selected_values([HAMA, within, HAMA_OR_CHEAP], "brand") == {"Hama", "Spigen"}
    assert selected_values([HAMA_OR_CHEAP], "brand") == set()
