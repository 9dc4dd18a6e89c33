"""Variant grouping in the request (collapse, group count) and in the response (pure)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from read_api.query.builder import search_body, shaped
from read_api.query.grouping import (
    GROUPS_AGG,
    VARIANTS,
    grouped,
    variant_count_body,
    with_variant_counts,
)
from read_api.query.model import SearchQuery
from read_api.query.results import search_response


def _query(**fields: Any) -> SearchQuery:
    return SearchQuery.model_validate(fields)


def _hit(pid: str, group: str, variants: int, inner: list[dict[str, Any]] | None = None) -> Any:
    return {
        "_source": {
            "id": pid,
            "title": pid,
            "group_id": group,
            "price": 1.0,
            "effective_price": 1.0,
            "on_sale": False,
            "stock": 1,
            "in_stock": True,
        },
        "sort": [1.0, pid],
        "inner_hits": {
            VARIANTS: {
                "hits": {"total": {"value": variants, "relation": "eq"}, "hits": inner or []}
            }
        },
    }


def test_an_ungrouped_search_has_no_collapse_and_no_group_count() -> None:
    body = search_body(_query(text="hülle", facets=[{"field": "brand"}]))
    assert "collapse" not in body
    assert GROUPS_AGG not in body["aggs"]
    assert "_group_count" not in str(body["aggs"])


def test_one_hit_per_group_counts_its_variants_and_the_groups() -> None:
    query = _query(
        text="hülle",
        grouping={"size": 1},
        filters=[{"field": "brand", "values": ["A"]}],
        facets=[{"field": "brand"}],
    )
    body = search_body(query)
    # the variant counts come from a follow-up request (variant_count_body), not inner hits
    assert body["collapse"] == {"field": "group_id"}
    groups = body["aggs"][GROUPS_AGG]
    # counted under the same post filter as the hits (the brand facet's own filter)
    assert groups["filter"] == body["post_filter"]
    assert groups["aggs"]["count"]["cardinality"]["field"] == "group_id"
    # facets count products unless asked
    assert "_group_count" not in str(body["aggs"]["facet_0"])


def test_up_to_n_variants_are_fetched_like_hits_in_the_same_order() -> None:
    body = search_body(_query(text="hülle", grouping={"size": 3}, sort="price_asc"))
    inner = body["collapse"]["inner_hits"]
    assert inner["size"] == 3
    assert inner["sort"] == body["sort"]
    assert inner["_source"] == body["_source"]
    assert inner["highlight"] == body["highlight"]


def test_facets_after_grouping_count_groups_in_every_bucket_and_on_the_product() -> None:
    query = _query(
        grouping={"size": 1, "facets": True},
        facets=[{"field": "brand"}, {"field": "attributes.color"}, {"field": "categories"}],
    )
    aggs = search_body(query)["aggs"]
    assert aggs["facet_0"]["aggs"]["values"]["aggs"]["_group_count"]["cardinality"]["field"] == (
        "group_id"
    )
    named = aggs["facet_1"]["aggs"]["kw"]["aggs"]["named"]["aggs"]["values"]
    # inside the nested attribute pairs the groups are counted back on the product
    assert "_group_count" not in named.get("aggs", {})
    assert "_group_count" in named["aggs"]["products"]["aggs"]
    assert "_group_count" in aggs["facet_2"]["aggs"]["lvl0"]["aggs"]


def test_the_response_counts_groups_shows_variant_counts_and_reads_group_counts() -> None:
    query = _query(grouping={"size": 1, "facets": True}, facets=[{"field": "brand"}])
    response = {
        "hits": {
            "total": {"value": 7, "relation": "eq"},
            "hits": [_hit("A-1", "A", 0), _hit("B", "B", 0)],
        },
        "aggregations": {
            GROUPS_AGG: {"doc_count": 7, "count": {"value": 2}},
            "facet_0": {
                "doc_count": 7,
                "values": {
                    "buckets": [
                        {"key": "Acme", "doc_count": 5, "_group_count": {"value": 1}},
                        {"key": "Bolt", "doc_count": 2, "_group_count": {"value": 2}},
                    ]
                },
            },
        },
    }
    sent = search_body(query)
    follow_up = variant_count_body(query, sent, response)
    assert follow_up is not None
    assert follow_up["size"] == 0
    assert follow_up["query"]["bool"]["must"] == [sent["query"]]
    assert follow_up["query"]["bool"]["filter"][0] == {"terms": {"group_id": ["A", "B"]}}
    counted = {"aggregations": {"_variant_counts": {"buckets": [{"key": "A", "doc_count": 3}]}}}
    response = with_variant_counts(response, counted)
    answer = search_response(query, shaped(query, response), None)
    assert answer.total == 2
    # B's count is missing from the follow-up's answer: a group of one
    assert [(h.id, h.group_id, h.variants) for h in answer.hits] == [("A-1", "A", 3), ("B", "B", 1)]
    # re-sorted by groups: Bolt has more
    assert [(v.value, v.count) for v in answer.facets["brand"].values] == [("Bolt", 2), ("Acme", 1)]
    assert answer.next_cursor is None


def test_the_follow_up_keeps_the_post_filters_and_is_only_for_one_hit_per_group() -> None:
    query = _query(
        grouping={"size": 1},
        facets=[{"field": "brand"}],
        filters=[{"field": "brand", "values": ["A"]}],
    )
    response = {"hits": {"hits": [_hit("A-1", "A", 0)]}}
    sent = search_body(query)
    follow_up = variant_count_body(query, sent, response)
    assert follow_up is not None
    assert sent["post_filter"] in follow_up["query"]["bool"]["filter"]
    assert variant_count_body(query, sent, {"hits": {"hits": []}}) is None
    for other in (_query(), _query(grouping={"size": 2})):
        assert variant_count_body(other, search_body(other), response) is None


def test_with_n_per_group_the_variants_are_the_hits() -> None:
    query = _query(grouping={"size": 2})
    inner = [_hit("A-1", "A", 0), _hit("A-2", "A", 0)]
    response = {
        "hits": {"total": {"value": 4}, "hits": [_hit("A-1", "A", 3, inner), _hit("B", "B", 1)]},
        "aggregations": {GROUPS_AGG: {"count": {"value": 2}}},
    }
    found = grouped(query, response)
    assert [h["_source"]["id"] for h in found["hits"]["hits"]] == ["A-1", "A-2", "B"]
    assert [h[VARIANTS] for h in found["hits"]["hits"]] == [3, 3, 1]
    assert "inner_hits" not in found["hits"]["hits"][0]
    assert found["hits"]["total"]["value"] == 2
    assert GROUPS_AGG not in found["aggregations"]


@pytest.mark.parametrize("size", [-1, 5])
def test_group_sizes_outside_1_to_4_do_not_validate(size: int) -> None:
    with pytest.raises(ValidationError):
        _query(grouping={"size": size})


def test_grouped_results_are_not_paged_by_cursor() -> None:
    with pytest.raises(ValidationError, match="paged by number"):
        _query(grouping={"size": 1}, paging={"after": [1.0, "x"]})
