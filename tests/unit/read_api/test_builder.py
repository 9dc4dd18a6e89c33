"""The search request body: filters split between query and post_filter, facets, paging."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from read_api.query.builder import PUBLIC_SOURCE, retry_stage, search_body, suggestion_body
from read_api.query.cursor import InvalidCursor
from read_api.query.facet_values import facet_values_body
from read_api.query.filters import ACTIVE_ONLY
from read_api.query.model import SearchQuery
from read_api.query.text import (
    FUZZINESS,
    IDENTIFIER_BOOST,
    NOTHING_FOUND_MINIMUM,
    RELAXED_MINIMUM,
    STRICT_MIN_HITS,
    Stage,
)


def _query(**fields: Any) -> SearchQuery:
    return SearchQuery.model_validate(fields)


def _bool(body: dict[str, Any]) -> dict[str, Any]:
    inner: dict[str, Any] = body["query"]["function_score"]["query"]["bool"]
    return inner


def test_only_active_products_and_only_public_fields() -> None:
    body = search_body(_query())
    assert _bool(body)["filter"] == [ACTIVE_ONLY]
    assert body["_source"] == list(PUBLIC_SOURCE)
    assert not {"status", "attrs_kw", "attrs_num", "attrs_text", "version"} & set(PUBLIC_SOURCE)
    assert body["track_total_hits"] is True
    assert "highlight" not in body
    assert "suggest" not in body


def test_text_matches_strictly_first_with_identifiers_prefixes_and_a_phrase_bonus() -> None:
    body = search_body(_query(text="ACME-1"))
    alternatives = _bool(body)["must"][0]["bool"]["should"]
    assert alternatives[0] == {
        "constant_score": {
            "filter": {"terms": {"identifiers": ["ACME-1"]}},
            "boost": IDENTIFIER_BOOST,
        }
    }
    assert any(a.get("multi_match", {}).get("type") == "cross_fields" for a in alternatives)
    assert not any(a.get("multi_match", {}).get("fuzziness") for a in alternatives)
    assert any("match_bool_prefix" in a for a in alternatives)
    assert _bool(body)["should"][0]["match_phrase"]["title"]["query"] == "ACME-1"
    assert "highlight" in body
    assert "suggest" not in body  # asked only once nothing matched


def test_the_tolerant_stage_adds_typos_and_all_words_but_one() -> None:
    body = search_body(_query(text="hülle iphnoe 15"), stage="tolerant")
    alternatives = _bool(body)["must"][0]["bool"]["should"]
    fuzzy = next(a for a in alternatives if a.get("multi_match", {}).get("fuzziness"))
    assert fuzzy["multi_match"]["fuzziness"] == FUZZINESS
    relaxed = [a for a in alternatives if a.get("multi_match", {}).get("operator") == "or"]
    assert relaxed[0]["multi_match"]["minimum_should_match"] == RELAXED_MINIMUM


def test_the_tolerant_stage_runs_only_after_too_few_strict_hits() -> None:
    def response(total: int) -> dict[str, Any]:
        return {"hits": {"total": {"value": total, "relation": "eq"}, "hits": []}}

    query = _query(text="iphnoe")
    assert retry_stage(query, response(0)) == "relaxed"
    assert retry_stage(query, response(STRICT_MIN_HITS - 1)) == "tolerant"
    assert retry_stage(query, response(STRICT_MIN_HITS)) is None
    assert retry_stage(_query(), response(0)) is None  # no text: nothing to relax


def test_one_of_two_words_may_be_missing_only_when_nothing_matched_both() -> None:
    def minimums(stage: Stage) -> list[str]:
        body = search_body(_query(text="ps4 pro"), stage=stage)
        alternatives = _bool(body)["must"][0]["bool"]["should"]
        return [
            a["multi_match"]["minimum_should_match"]
            for a in alternatives
            if "minimum_should_match" in a.get("multi_match", {})
        ]

    assert minimums("strict") == []
    assert minimums("tolerant") == [RELAXED_MINIMUM]
    assert minimums("relaxed") == [NOTHING_FOUND_MINIMUM]


def test_the_suggestion_is_a_follow_up_request_only_for_text() -> None:
    follow_up = suggestion_body(_query(text="iphnoe"))
    assert follow_up is not None
    assert follow_up["size"] == 0
    assert "suggest" in follow_up
    assert suggestion_body(_query()) is None
    assert suggestion_body(_query(text="iphnoe", suggest=False)) is None


def test_without_typo_tolerance_there_is_no_fuzzy_match() -> None:
    body = search_body(_query(text="hülle iphone", typo_tolerance=False), stage="tolerant")
    alternatives = _bool(body)["must"][0]["bool"]["should"]
    assert not any(a.get("multi_match", {}).get("fuzziness") for a in alternatives)


def test_facetted_filters_go_to_post_filter_and_facets_ignore_their_own() -> None:
    body = search_body(
        _query(
            filters=[
                {"field": "brand", "values": ["Spigen"]},
                {"field": "in_stock", "values": [True]},
                {"field": "price", "lt": 50},
            ],
            facets=[{"field": "brand"}, {"field": "price"}],
        )
    )
    brand = {"bool": {"filter": [{"terms": {"brand": ["Spigen"]}}]}}
    price = {"bool": {"filter": [{"range": {"price": {"lt": 50.0}}}]}}
    in_stock = {"bool": {"filter": [{"terms": {"in_stock": [True]}}]}}
    assert _bool(body)["filter"] == [ACTIVE_ONLY, in_stock]
    assert body["post_filter"] == {"bool": {"filter": [brand, price]}}
    assert body["aggs"]["facet_0"]["filter"] == {"bool": {"filter": [price]}}
    assert body["aggs"]["facet_0"]["aggs"] == {"values": {"terms": {"field": "brand", "size": 10}}}
    assert body["aggs"]["facet_1"]["filter"] == {"bool": {"filter": [brand]}}
    price_aggs = body["aggs"]["facet_1"]["aggs"]
    assert price_aggs["stats"] == {"stats": {"field": "price"}}
    assert price_aggs["ranges"]["range"]["ranges"][0] == {"to": 10.0}


def test_a_facet_without_other_filters_counts_everything() -> None:
    body = search_body(_query(facets=[{"field": "in_stock"}]))
    assert body["aggs"]["facet_0"]["filter"] == {"match_all": {}}
    assert "post_filter" not in body


def test_the_category_facet_unfolds_the_deepest_selected_path() -> None:
    body = search_body(
        _query(
            filters=[{"field": "categories", "values": ["Handyzubehör > Hüllen"]}],
            facets=[{"field": "categories", "size": 5}],
        )
    )
    levels = body["aggs"]["facet_0"]["aggs"]
    assert levels == {
        "lvl0": {"terms": {"field": "categories.lvl0", "size": 5}},
        "lvl1": {
            "terms": {"field": "categories.lvl1", "size": 5, "include": "Handyzubehör\\ \\>\\ .*"}
        },
        "lvl2": {
            "terms": {
                "field": "categories.lvl2",
                "size": 5,
                "include": "Handyzubehör\\ \\>\\ Hüllen\\ \\>\\ .*",
            }
        },
    }


def test_attribute_facets_count_products_not_nested_entries() -> None:
    body = search_body(_query(facets=[{"field": "attributes.color"}]))
    keyword = body["aggs"]["facet_0"]["aggs"]["kw"]
    assert keyword["nested"] == {"path": "attrs_kw"}
    named = keyword["aggs"]["named"]
    assert named["filter"] == {"term": {"attrs_kw.name": "color"}}
    assert named["aggs"]["values"]["aggs"]["products"] == {"reverse_nested": {}}


def test_paging_by_offset_and_by_cursor() -> None:
    body = search_body(_query(paging={"offset": 40, "size": 20}))
    assert (body["from"], body["size"]) == (40, 20)
    assert "search_after" not in body
    body = search_body(_query(sort="price_asc", paging={"size": 20, "after": [9.99, "X"]}))
    assert body["search_after"] == [9.99, "X"]
    assert body["size"] == 21
    assert "from" not in body
    assert body["sort"] == [{"effective_price": "asc"}, {"id": "asc"}]
    with pytest.raises(InvalidCursor):
        search_body(_query(sort="rating", paging={"size": 20, "after": [9.99, "X"]}))


@pytest.mark.parametrize(
    "fields",
    [
        {"paging": {"offset": 9990, "size": 20}},
        {"paging": {"size": 101}},
        {"paging": {"offset": 20, "after": [1, "x"]}},
        {"text": "x" * 513},
        {"filters": [{"field": "status", "values": ["draft"]}]},
        {"filters": [{"field": "price", "values": ["cheap"]}]},
        {"filters": [{"field": "brand", "gte": 1}]},
        {"facets": [{"field": "title"}]},
        {"facets": [{"field": "brand"}, {"field": "brand"}]},
        {"facets": [{"field": "price", "ranges": [10, 5]}]},
        {"facets": [{"field": f"attributes.a{i}"} for i in range(21)]},
        {"category": " > ".join("A" * 7)},
    ],
)
def test_bad_queries_do_not_validate(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        _query(**fields)


def test_a_search_for_facet_values_never_counts_hidden_products() -> None:
    hidden = _query(text="hülle", merchandising={"hidden": ["X-1"]})
    body = facet_values_body(hidden, "brand", "", 10)
    assert {"bool": {"must_not": [{"terms": {"id": ["X-1"]}}]}} in _bool(body)["filter"]
    plain = facet_values_body(_query(text="hülle"), "brand", "", 10)
    assert "must_not" not in str(_bool(plain)["filter"])
