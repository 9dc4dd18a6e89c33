"""Rules on the running stack, through the Algolia protocol: each consequence, counts kept exact."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.e2e.merchandising.conftest import (
    BOOSTED,
    IN_DATASET,
    WORD,
    algolia,
    eventually,
    object_ids,
)

RuleMaker = Callable[..., str]


def when(context: str) -> list[dict[str, str]]:
    return [{"pattern": WORD, "anchoring": "contains", "context": context}]


def test_a_pinned_product_is_at_its_position_and_counts_stay(
    reader: httpx.Client, rules: RuleMaker, context: str
) -> None:
    before = algolia(reader, ruleContexts=[context])
    pinned = object_ids(before)[-1]
    rule_id = rules(
        {
            "conditions": when(context),
            "consequence": {
                "promote": [{"objectID": pinned, "position": 2}],
                "userData": {"banner": "pinned"},
            },
        }
    )
    after = eventually(
        lambda: (
            (a := algolia(reader, ruleContexts=[context], getRankingInfo=True))
            and {"banner": "pinned"} in a.get("userData", [])
            and a
        )
    )
    assert object_ids(after)[2] == pinned
    assert sorted(object_ids(after)) == sorted(object_ids(before))
    assert after["nbHits"] == before["nbHits"]
    assert after["facets"] == before["facets"]
    assert after["appliedRules"][0] == {"objectID": rule_id}
    # a later page: every product exactly once across pages
    pages = [algolia(reader, ruleContexts=[context], hitsPerPage=5, page=page) for page in range(3)]
    assert [pid for page in pages for pid in object_ids(page)] == object_ids(after)


def test_a_hidden_product_is_absent_from_hits_and_counts(
    reader: httpx.Client, rules: RuleMaker, context: str
) -> None:
    before = algolia(reader, ruleContexts=[context])
    hidden = before["hits"][0]
    rules(
        {
            "conditions": when(context),
            "consequence": {"hide": [{"objectID": hidden["objectID"]}], "userData": "hid"},
        }
    )
    after = eventually(
        lambda: (
            (a := algolia(reader, ruleContexts=[context])) and "hid" in a.get("userData", []) and a
        )
    )
    assert hidden["objectID"] not in object_ids(after)
    assert after["nbHits"] == before["nbHits"] - 1
    brand = hidden["brand"]
    assert after["facets"]["brand"][brand] == before["facets"]["brand"][brand] - 1


def test_a_boosted_product_moves_up(reader: httpx.Client, rules: RuleMaker, context: str) -> None:
    before = algolia(reader, ruleContexts=[context])
    assert object_ids(before).index(BOOSTED) > 0
    rules(
        {
            "conditions": when(context),
            "consequence": {
                "boosts": [
                    {"filter": {"field": "attributes.tag", "values": ["boostme"]}, "score": 50}
                ],
                "userData": "boosted",
            },
        }
    )
    after = eventually(
        lambda: (
            (a := algolia(reader, ruleContexts=[context]))
            and "boosted" in a.get("userData", [])
            and a
        )
    )
    assert object_ids(after)[0] == BOOSTED
    assert after["nbHits"] == before["nbHits"]


def test_a_rule_outside_its_window_does_nothing(
    reader: httpx.Client, rules: RuleMaker, context: str
) -> None:
    now = datetime.now(UTC)
    past = {
        "from": (now - timedelta(days=2)).isoformat(),
        "until": (now - timedelta(days=1)).isoformat(),
    }
    current = {
        "from": (now - timedelta(days=1)).isoformat(),
        "until": (now + timedelta(days=1)).isoformat(),
    }
    before = algolia(reader, ruleContexts=[context])
    rules(
        {
            "conditions": when(context),
            "validity": [past],
            "consequence": {
                "hide": [{"objectID": before["hits"][0]["objectID"]}],
                "userData": "past",
            },
        }
    )
    rules({"conditions": when(context), "validity": [current], "consequence": {"userData": "now"}})
    # once the current rule is live, the rule set holds the past one too
    after = eventually(
        lambda: (
            (a := algolia(reader, ruleContexts=[context])) and "now" in a.get("userData", []) and a
        )
    )
    assert after["userData"][0] == "now"
    assert "past" not in after["userData"]
    assert object_ids(after) == object_ids(before)


def test_a_context_only_rule_fires_only_with_its_context(
    reader: httpx.Client, rules: RuleMaker, context: str
) -> None:
    rule_id = rules({"conditions": [{"context": context}], "consequence": {"userData": {"c": 1}}})
    with_it = eventually(
        lambda: (
            (a := algolia(reader, ruleContexts=[context], getRankingInfo=True))
            and {"c": 1} in a.get("userData", [])
            and a
        )
    )
    assert with_it["userData"][0] == {"c": 1}
    assert with_it["appliedRules"][0] == {"objectID": rule_id}
    without = algolia(reader, getRankingInfo=True)
    assert {"c": 1} not in without.get("userData", [])
    assert {"objectID": rule_id} not in without.get("appliedRules", [])
    other = algolia(reader, ruleContexts=["some-other-context"], getRankingInfo=True)
    assert {"objectID": rule_id} not in other.get("appliedRules", [])
    disabled = algolia(reader, ruleContexts=[context], enableRules=False)
    assert "userData" not in disabled


def test_filters_edits_and_facet_ordering(
    reader: httpx.Client, rules: RuleMaker, context: str
) -> None:
    ordering = {"facets": {"order": ["brand"]}, "values": {"brand": {"order": ["Hama"]}}}
    rules(
        {
            "conditions": when(context),
            "consequence": {
                "filters": [{"field": "brand", "values": ["Hama"]}],
                "edits": [{"type": "remove", "delete": "billig"}],
                "renderingContent": {"facetOrdering": ordering},
                "userData": "ordered",
            },
        }
    )
    after = eventually(
        lambda: (
            (a := algolia(reader, query=f"billig {WORD}", ruleContexts=[context]))
            and "ordered" in a.get("userData", [])
            and a
        )
    )
    assert after["renderingContent"]["facetOrdering"]["facets"] == {"order": ["brand"]}
    assert after["nbHits"] > 0
    assert {hit["brand"] for hit in after["hits"]} == {"Hama"}
    assert set(after["facets"]["brand"]) == {"Hama"}


def test_multi_queries_apply_rules_per_request(
    reader: httpx.Client, rules: RuleMaker, context: str
) -> None:
    rules({"conditions": [{"context": context}], "consequence": {"userData": "multi"}})

    def run() -> list[dict[str, object]]:
        body = {
            "requests": [
                {"indexName": "products", "query": WORD, "ruleContexts": [context]},
                {"indexName": "products", "query": WORD},
            ]
        }
        response = reader.post("/1/indexes/*/queries", json=body)
        assert response.status_code == 200, response.text
        results: list[dict[str, object]] = response.json()["results"]
        return results

    results = eventually(lambda: (r := run()) and "multi" in r[0].get("userData", []) and r)
    assert "multi" not in results[1].get("userData", [])


def test_searches_for_facet_values_count_without_hidden_products(
    reader: httpx.Client, rules: RuleMaker, context: str
) -> None:
    def values(**extra: Any) -> dict[str, int]:
        body = {"query": WORD, "facetQuery": "", "facetFilters": [IN_DATASET], **extra}
        response = reader.post("/1/indexes/products/facets/brand/query", json=body)
        assert response.status_code == 200, response.text
        return {hit["value"]: hit["count"] for hit in response.json()["facetHits"]}

    def native(**extra: Any) -> dict[str, int]:
        params = {"query": WORD, "filter": IN_DATASET, **extra}
        response = reader.get("/v1/facets/brand/values", params=params)
        assert response.status_code == 200, response.text
        return {v["value"]: v["count"] for v in response.json()["values"]}

    before, before_native = values(ruleContexts=[context]), native(rule_context=context)
    assert before == before_native
    hidden = algolia(reader, ruleContexts=[context])["hits"][0]
    rules(
        {"conditions": when(context), "consequence": {"hide": [{"objectID": hidden["objectID"]}]}}
    )
    brand = hidden["brand"]
    after = eventually(
        lambda: (a := values(ruleContexts=[context])) and a[brand] < before[brand] and a
    )
    assert after[brand] == before[brand] - 1
    assert native(rule_context=context)[brand] == before[brand] - 1
    # without the context the rule does not fire: every product counts
    assert values() == before
