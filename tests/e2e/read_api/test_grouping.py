"""Variant grouping on both protocols, checked against Elasticsearch's own counts.

The data set's colour variants share a `group_id`; a grouped search shows one
hit per group (or up to N), counts groups in its total, and (when asked)
counts groups in its facet values. Elasticsearch is asked directly for the
groups (a `terms` aggregation on `group_id`) to check every number.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest

from catalog.settings import Settings
from indexer.index_definition import alias_name
from tests.e2e.algolia.conftest import algolia
from tests.e2e.read_api.conftest import Catalog, in_dataset_query, search

CASES = "Handyzubehör > Hüllen"
NATIVE_FILTER = f"categories:{CASES}"
ALGOLIA_FILTER = f"categories.lvl1:{CASES}"
# the same products as Elasticsearch sees them: no text, so no ranking stage decides
IN_CASES = {"term": {"categories.lvl1": CASES}}


def _es_groups(
    es: httpx.Client, settings: Settings, *clauses: dict[str, Any], by: str | None = None
) -> dict[str, Any]:
    """Elasticsearch's own answer: the groups of the cases, and per value of `by` their groups."""
    aggs: dict[str, Any] = {"groups": {"terms": {"field": "group_id", "size": 10_000}}}
    if by is not None:
        aggs["by"] = {
            "terms": {"field": by, "size": 100},
            "aggs": {"groups": {"terms": {"field": "group_id", "size": 10_000}}},
        }
    body = {"size": 0, "query": in_dataset_query(IN_CASES, *clauses), "aggs": aggs}
    response = es.post(f"/{alias_name(settings.es_index_prefix)}/_search", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json()["aggregations"])


def _cases(es: httpx.Client, settings: Settings) -> list[dict[str, Any]]:
    """Every active case of the data set: its id, group and colour."""
    body = {
        "size": 10_000,
        "_source": ["id", "group_id", "attributes.color"],
        "query": in_dataset_query(IN_CASES),
    }
    response = es.post(f"/{alias_name(settings.es_index_prefix)}/_search", json=body)
    assert response.status_code == 200, response.text
    return [hit["_source"] for hit in response.json()["hits"]["hits"]]


def test_the_data_set_has_colour_variants(catalog: Catalog) -> None:
    groups = Counter(p["group_id"] for p in catalog.active if "group_id" in p)
    assert sum(1 for size in groups.values() if size > 1) > 20


def test_native_grouping_counts_groups_and_shows_one_hit_per_group(
    read_api: httpx.Client, es: httpx.Client, settings: Settings
) -> None:
    plain = search(read_api, filter=NATIVE_FILTER, page_size=100)
    grouped = search(read_api, filter=NATIVE_FILTER, page_size=100, group="true")
    truth = _es_groups(es, settings)["groups"]["buckets"]
    assert plain["total"] == len(_cases(es, settings))
    assert grouped["total"] == len(truth) < plain["total"]
    sizes = {b["key"]: b["doc_count"] for b in truth}
    hits = grouped["hits"]
    assert len({h["group_id"] for h in hits}) == len(hits)  # one per group
    assert all(h["variants"] == sizes[h["group_id"]] for h in hits)
    assert any(h["variants"] > 1 for h in hits)
    assert grouped["next_cursor"] is None


def test_native_grouped_facets_count_groups(
    read_api: httpx.Client, es: httpx.Client, settings: Settings
) -> None:
    answer = search(
        read_api, filter=NATIVE_FILTER, group="true", group_facets="true", facets="brand"
    )
    products = search(read_api, filter=NATIVE_FILTER, group="true", facets="brand")
    truth = _es_groups(es, settings, by="brand")["by"]["buckets"]
    groups_per_brand = {b["key"]: len(b["groups"]["buckets"]) for b in truth}
    counted = {v["value"]: v["count"] for v in answer["facets"]["brand"]["values"]}
    assert counted == {k: groups_per_brand[k] for k in counted}
    assert len(counted) == min(10, len(groups_per_brand))
    # without group_facets they count products, as before
    by_products = {v["value"]: v["count"] for v in products["facets"]["brand"]["values"]}
    assert by_products == {b["key"]: b["doc_count"] for b in truth if b["key"] in by_products}
    assert any(by_products[k] > counted[k] for k in counted if k in by_products)


def test_a_grouped_attribute_facet_counts_groups(
    read_api: httpx.Client, es: httpx.Client, settings: Settings
) -> None:
    answer = search(
        read_api,
        filter=NATIVE_FILTER,
        group="true",
        group_facets="true",
        facets="attributes.color",
        facet_size=100,
    )
    # colours differ within a group: each colour counts the groups having it
    colours: dict[str, set[str]] = {}
    for source in _cases(es, settings):
        colours.setdefault(str(source["attributes"]["color"]), set()).add(source["group_id"])
    counted = {v["value"]: v["count"] for v in answer["facets"]["attributes.color"]["values"]}
    assert counted
    assert counted == {colour: len(colours[colour]) for colour in counted}


@pytest.mark.parametrize("distinct", [1, 2])
def test_algolia_distinct_counts_groups_and_up_to_n_variants(
    read_api: httpx.Client, es: httpx.Client, settings: Settings, distinct: int
) -> None:
    answer = algolia(
        read_api, facetFilters=[ALGOLIA_FILTER], hitsPerPage=50, distinct=distinct,
        facets=["brand"], facetingAfterDistinct=True,
    )  # fmt: skip
    truth = _es_groups(es, settings, by="brand")
    assert answer["nbHits"] == len(truth["groups"]["buckets"])
    per_group = Counter(h["group_id"] for h in answer["hits"])
    assert max(per_group.values()) <= distinct
    sizes = {b["key"]: b["doc_count"] for b in truth["groups"]["buckets"]}
    assert all(per_group[g] == min(distinct, sizes[g]) for g in per_group)
    assert len(per_group) == 50  # a page is 50 groups
    groups_per_brand = {b["key"]: len(b["groups"]["buckets"]) for b in truth["by"]["buckets"]}
    assert answer["facets"]["brand"] == {k: groups_per_brand[k] for k in answer["facets"]["brand"]}
    if distinct > 1:  # a group's variants follow one another
        seen: list[str] = []
        for hit in answer["hits"]:
            if not seen or seen[-1] != hit["group_id"]:
                assert hit["group_id"] not in seen
                seen.append(hit["group_id"])


def test_a_grouped_search_is_not_paged_by_cursor(read_api: httpx.Client) -> None:
    first = search(read_api, q="hülle", page_size=5)
    response = read_api.get(
        "/v1/search", params={"q": "hülle", "group": "true", "cursor": first["next_cursor"]}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "cursor"]
