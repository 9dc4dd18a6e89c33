"""The search-cost benchmark's BM25 twins differ from the system's bodies in the query alone."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bench.read_http import Origin
from bench.read_queries import Search
from bench.search_cost_bodies import BM25_FIELDS, bm25_body, filter_clauses, noaggs_body
from bench.search_cost_index import demo_source, documents, scratch_name
from bench.search_cost_measure import wire
from bench.search_cost_searches import (
    Body,
    chorus_searches,
    demo_searches,
    has_stages,
)
from catalog.settings import Settings
from indexer.index_definition import INDEX_VERSION
from read_api.query.filters import ACTIVE_ONLY

SETTINGS = Settings(_env_file=None)
# a brand facet filter (post_filter, counted disjunctively), an unfaceted one (in the query)
SEARCH = Search(
    q="iphone 15 hülle", filters=("brand:Spigen", "in_stock:true"), sort="price_asc", page=2
)
STRICT_ONLY = {"hits": {"total": {"value": 500, "relation": "eq"}}}
NOTHING = {"hits": {"total": {"value": 0, "relation": "eq"}}}


def system() -> dict[str, Any]:
    return SEARCH.es_body(SETTINGS)


def test_bm25_keeps_everything_but_the_query() -> None:
    body = system()
    twin = bm25_body(body, SEARCH.q)
    assert {k: v for k, v in twin.items() if k != "query"} == {
        k: v for k, v in body.items() if k != "query"
    }
    for kept in ("aggs", "post_filter", "sort", "from", "size", "highlight", "_source"):
        assert kept in twin, kept


def test_bm25_is_one_plain_multi_match_inside_the_system_filters() -> None:
    body = system()
    query = bm25_body(body, SEARCH.q)["query"]["bool"]
    assert query["must"] == [{"multi_match": {"query": SEARCH.q, "fields": list(BM25_FIELDS)}}]
    assert query["filter"] == filter_clauses(body["query"])
    assert ACTIVE_ONLY in query["filter"]
    assert "in_stock" in str(query["filter"])  # not a facet: a filter of the query itself
    assert "Spigen" not in str(query["filter"])  # a facet's filter: post_filter only
    assert "Spigen" in str(bm25_body(body, SEARCH.q)["post_filter"])


def test_the_system_body_is_not_changed() -> None:
    body = system()
    before = copy.deepcopy(body)
    twin, bare = bm25_body(body, SEARCH.q), noaggs_body(body, SEARCH.q)
    twin["query"]["bool"]["filter"].append({"term": {"x": 1}})
    bare["query"]["bool"]["filter"].append({"term": {"x": 1}})
    assert body == before


def test_noaggs_finds_the_same_hits_without_aggregations_or_highlight() -> None:
    body = system()
    bare = noaggs_body(body, SEARCH.q)
    assert not {"aggs", "highlight", "post_filter"} & bare.keys()
    assert [bare[k] for k in ("sort", "from", "size")] == [
        body[k] for k in ("sort", "from", "size")
    ]
    assert bare["query"]["bool"]["filter"] == [*filter_clauses(body["query"]), body["post_filter"]]


def test_filters_are_found_in_a_plain_bool_too_and_an_unknown_shape_is_refused() -> None:
    assert filter_clauses({"bool": {"filter": {"term": {"a": 1}}}}) == [{"term": {"a": 1}}]
    assert filter_clauses({"bool": {"must": []}}) == []
    with pytest.raises(ValueError, match="no bool query"):
        filter_clauses({"match_all": {}})


def answering(*totals: int) -> tuple[list[Body], Any]:
    """A stand-in `_search` that answers the given totals in turn, and the bodies it was sent."""
    sent: list[Body] = []
    answers = iter(totals)

    async def send(body: Body) -> dict[str, Any]:
        sent.append(body)
        hits = {"total": {"value": next(answers), "relation": "eq"}, "hits": [], "max_score": None}
        return {"took": 1, "hits": hits, "aggregations": {}}

    return sent, send


async def test_a_search_that_finds_enough_sends_one_body() -> None:
    (search,) = demo_searches(SETTINGS, 1, seed=1001)
    sent, send = answering(500)
    ran = await search.system(send)
    assert ran.bodies == sent == [search.body]
    assert (ran.hits, ran.suggestions) == (500, 0)


async def test_a_search_that_finds_too_few_runs_on_as_the_read_api_does() -> None:
    (search,) = demo_searches(SETTINGS, 1, seed=1001)
    sent, send = answering(0, 0, 0)
    ran = await search.system(send)
    if has_stages():  # strict, the next stage, then the spelling suggestion
        assert len(sent) == 3
        assert ran.bodies == sent[:2]
        assert ran.bodies[1]["query"] != search.body["query"]
        assert ran.bodies[1]["aggs"] == search.body["aggs"]
    else:  # one stage, then the suggestion
        assert ran.bodies == sent[:1]
    assert ran.suggestions == 1
    assert "suggest" in sent[-1]


async def test_an_algolia_search_runs_on_by_its_plan() -> None:
    (search,) = chorus_searches(["laser printer"])
    sent, send = answering(0, 3)
    ran = await search.system(send)
    assert ran.bodies == sent
    assert len(sent) == (2 if has_stages() else 1)
    assert ran.hits == (3 if has_stages() else 0)


def test_demo_searches_all_have_words_and_facets() -> None:
    searches = demo_searches(SETTINGS, 20, seed=1001)
    assert len(searches) == 20
    assert all(s.text.strip() and "aggs" in s.body and s.native for s in searches)


def test_chorus_searches_ask_what_a_storefront_asks() -> None:
    (search,) = chorus_searches(["laser printer"])
    assert search.algolia is not None
    assert search.body["size"] == 20
    assert len(search.body["aggs"]) == 4
    assert "post_filter" not in search.body  # Algolia: facets count under every filter
    assert bm25_body(search.body, search.text)["aggs"] == search.body["aggs"]


def test_every_search_skips_the_request_cache() -> None:
    raw = wire(Origin("es", 9200), "scratch", {"size": 1})
    assert raw.startswith(b"POST /scratch/_search?request_cache=false HTTP/1.1\r\n")
    assert raw.endswith(b'\r\n\r\n{"size":1}')


def test_the_scratch_index_is_named_by_catalog_size_and_index_version() -> None:
    source = demo_source(3)
    assert scratch_name("catalog", source) == f"catalog-bench-cost-v{INDEX_VERSION}-demo-3"
    docs = list(documents(source.products()))
    assert [d["id"] for d in docs] == [p["id"] for p in source.products()]
    assert all(d["version"] == 1 for d in docs)
