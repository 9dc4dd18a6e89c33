"""Filters become grouped Elasticsearch clauses: OR within a field, AND across fields."""

from __future__ import annotations

from read_api.query.filters import group_clauses, scope_clause, selected_values
from read_api.query.model import RangeFilter, TermsFilter
from read_api.query.number_format import format_number


def test_values_of_one_field_are_alternatives_and_exclusions_are_ruled_out() -> None:
    groups = group_clauses(
        [
            TermsFilter(field="brand", values=["Spigen"]),
            TermsFilter(field="brand", values=["Hama"]),
            TermsFilter(field="brand", values=["Apple"], exclude=True),
        ]
    )
    assert groups == {
        "brand": {
            "bool": {
                "filter": [
                    {
                        "bool": {
                            "should": [
                                {"terms": {"brand": ["Spigen"]}},
                                {"terms": {"brand": ["Hama"]}},
                            ],
                            "minimum_should_match": 1,
                        }
                    }
                ],
                "must_not": [{"terms": {"brand": ["Apple"]}}],
            }
        }
    }


def test_each_field_is_its_own_group() -> None:
    groups = group_clauses(
        [
            TermsFilter(field="in_stock", values=[True]),
            RangeFilter(field="price", gte=10, lt=20),
        ]
    )
    assert groups == {
        "in_stock": {"bool": {"filter": [{"terms": {"in_stock": [True]}}]}},
        "price": {"bool": {"filter": [{"range": {"price": {"gte": 10.0, "lt": 20.0}}}]}},
    }


def test_category_levels_share_one_group_and_paths_pick_their_level() -> None:
    groups = group_clauses(
        [
            TermsFilter(field="categories", values=["Audio", "Audio > Kopfhörer"]),
            TermsFilter(field="categories.lvl2", values=["A > B > C"]),
        ]
    )
    assert list(groups) == ["categories"]
    alternatives = groups["categories"]["bool"]["filter"][0]["bool"]["should"]
    assert alternatives == [
        {
            "bool": {
                "should": [
                    {"terms": {"categories.lvl0": ["Audio"]}},
                    {"terms": {"categories.lvl1": ["Audio > Kopfhörer"]}},
                ],
                "minimum_should_match": 1,
            }
        },
        {"terms": {"categories.lvl2": ["A > B > C"]}},
    ]


def test_attribute_values_look_in_keywords_and_numbers() -> None:
    clause = group_clauses([TermsFilter(field="attributes.power_w", values=["20"])])
    should = clause["attributes.power_w"]["bool"]["filter"][0]["bool"]["should"]
    assert should == [
        {
            "nested": {
                "path": "attrs_kw",
                "query": {
                    "bool": {
                        "filter": [
                            {"term": {"attrs_kw.name": "power_w"}},
                            {"terms": {"attrs_kw.value": ["20"]}},
                        ]
                    }
                },
            }
        },
        {
            "nested": {
                "path": "attrs_num",
                "query": {
                    "bool": {
                        "filter": [
                            {"term": {"attrs_num.name": "power_w"}},
                            {"terms": {"attrs_num.value": [20.0]}},
                        ]
                    }
                },
            }
        },
    ]


def test_text_attribute_values_and_booleans_stay_keywords() -> None:
    groups = group_clauses([TermsFilter(field="attributes.wireless", values=[True, "rot"])])
    nested = groups["attributes.wireless"]["bool"]["filter"][0]["nested"]
    assert nested["path"] == "attrs_kw"
    assert nested["query"]["bool"]["filter"][1] == {"terms": {"attrs_kw.value": ["true", "rot"]}}


def test_attribute_ranges_are_numeric() -> None:
    groups = group_clauses([RangeFilter(field="attributes.weight_g", lt=40)])
    nested = groups["attributes.weight_g"]["bool"]["filter"][0]["nested"]
    assert nested["path"] == "attrs_num"
    assert nested["query"]["bool"]["filter"][1] == {"range": {"attrs_num.value": {"lt": 40.0}}}


def test_scope_and_selected_values() -> None:
    assert scope_clause(None) == []
    assert scope_clause("Audio > Kopfhörer") == [
        {"terms": {"categories.lvl1": ["Audio > Kopfhörer"]}}
    ]
    filters = [
        TermsFilter(field="brand", values=["Spigen"]),
        TermsFilter(field="brand", values=["Apple"], exclude=True),
        TermsFilter(field="in_stock", values=[True]),
    ]
    assert selected_values(filters, "brand") == {"Spigen"}
    assert selected_values(filters, "in_stock") == {"true"}


def test_numbers_are_written_as_shoppers_write_them() -> None:
    assert format_number(20.0) == "20"
    assert format_number(2.5) == "2.5"
