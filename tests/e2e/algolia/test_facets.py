"""Algolia facet counts over HTTP: conjunctive per request, and InstantSearch's disjunctive pattern.

Algolia counts a request's facets under all of its filters; InstantSearch gets
disjunctive counts by sending, per refined disjunctive facet, one more query
without that facet's filter. Both must give what the hits give.
"""

from __future__ import annotations

import httpx

from tests.e2e.algolia.conftest import algolia, in_dataset
from tests.e2e.read_api.conftest import Catalog


def _total(client: httpx.Client, query: str, filters: list[str | list[str]]) -> int:
    return int(algolia(client, query=query, facetFilters=filters, hitsPerPage=0)["nbHits"])


def test_each_count_is_the_total_with_that_value_added(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    filters: list[str | list[str]] = [["brand:Spigen", "brand:Hama"], "in_stock:true"]
    answer = algolia(
        read_api,
        query="hülle",
        facetFilters=filters,
        facets=["brand", "in_stock", "attributes.color", "categories.lvl0"],
        hitsPerPage=0,
    )
    facets = answer["facets"]
    assert set(facets["brand"]) == {"Spigen", "Hama"}  # conjunctive: only what the hits hold
    assert facets["in_stock"] == {"true": answer["nbHits"]}
    assert sum(facets["brand"].values()) == answer["nbHits"]
    for name in ("brand", "attributes.color", "categories.lvl0"):
        for value, count in list(facets[name].items())[:3]:
            assert count == _total(read_api, "hülle", [*filters, f"{name}:{value}"]), (name, value)


def test_instantsearch_disjunctive_queries(read_api: httpx.Client, catalog: Catalog) -> None:
    refined = ["brand:Spigen", "brand:Hama"]
    # what the helper sends for a refined disjunctive `brand` and a conjunctive `in_stock`
    main = {"query": "hülle", "facets": ["in_stock"], "facetFilters": [refined], "hitsPerPage": 5}
    disjunctive = {
        "query": "hülle",
        "facets": ["brand"],
        "facetFilters": [],
        "hitsPerPage": 0,
        "page": 0,
        "attributesToRetrieve": [],
        "attributesToHighlight": [],
        "attributesToSnippet": [],
        "analytics": False,
        "clickAnalytics": False,
    }
    response = read_api.post(
        "/1/indexes/*/queries",
        json={
            "requests": [
                {"indexName": "products", **in_dataset(main)},
                {"indexName": "products", **in_dataset(disjunctive)},
            ]
        },
    )
    assert response.status_code == 200, response.text
    main_result, brand_result = response.json()["results"]
    brands = brand_result["facets"]["brand"]
    assert len(brands) > 2  # the other brands stay choosable
    assert main_result["nbHits"] == brands["Spigen"] + brands["Hama"]
    assert brand_result["hits"] == []
    for value, count in list(brands.items())[:4]:
        assert count == _total(read_api, "hülle", [f"brand:{value}"]), value
    assert main_result["facets"]["in_stock"]["true"] == _total(
        read_api, "hülle", [refined, "in_stock:true"]
    )


def test_filters_on_one_field_from_two_parameters_all_hold(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    both = algolia(read_api, facetFilters=["brand:Spigen", "brand:Hama"], hitsPerPage=0)
    assert both["nbHits"] == 0  # one brand per product: AND of two brands is nothing
    mixed = algolia(read_api, facetFilters=["brand:Spigen"], filters="brand:Hama", hitsPerPage=0)
    assert mixed["nbHits"] == 0
    either = algolia(read_api, filters="brand:Spigen OR brand:Hama", hitsPerPage=0)
    assert either["nbHits"] == _total(read_api, "", [["brand:Spigen", "brand:Hama"]]) > 0


def test_numeric_facets_count_values_and_give_stats(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    answer = algolia(read_api, query="kabel", facets=["effective_price", "rating"], hitsPerPage=0)
    stats = answer["facets_stats"]["effective_price"]
    cheapest = algolia(read_api, "products_price_asc", query="kabel", hitsPerPage=1)["hits"][0]
    dearest = algolia(read_api, "products_price_desc", query="kabel", hitsPerPage=1)["hits"][0]
    assert stats["min"] == cheapest["effective_price"]
    assert stats["max"] == dearest["effective_price"]
    price, count = next(iter(answer["facets"]["effective_price"].items()))
    assert (
        count
        == algolia(
            read_api, query="kabel", numericFilters=[f"effective_price={price}"], hitsPerPage=0
        )["nbHits"]
    )
    assert all(len(value) <= 4 for value in answer["facets"]["rating"])  # 4.7, not 4.6999998
    within = algolia(
        read_api, query="kabel", numericFilters=[f"effective_price>={stats['min']}"], hitsPerPage=0
    )
    assert within["nbHits"] == answer["nbHits"]


def test_hierarchical_levels_follow_the_refined_path(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    top = algolia(read_api, facets=["categories.lvl0"], hitsPerPage=0)["facets"]["categories.lvl0"]
    root = max(top, key=lambda name: top[name])
    refined = algolia(
        read_api,
        facets=["categories.lvl0", "categories.lvl1"],
        facetFilters=[f"categories.lvl0:{root}"],
        hitsPerPage=0,
    )
    children = refined["facets"]["categories.lvl1"]
    # a product may sit in several paths: InstantSearch keeps the children of the refined one
    mine = [child for child in children if child.startswith(f"{root} > ")]
    assert mine
    for child in mine[:3]:
        expected = _total(read_api, "", [f"categories.lvl0:{root}", f"categories.lvl1:{child}"])
        assert children[child] == expected, child
    assert refined["nbHits"] == top[root]


def test_facets_star_counts_every_facet(read_api: httpx.Client, catalog: Catalog) -> None:
    answer = algolia(read_api, query="kabel", facets=["*"], hitsPerPage=0)
    assert {"brand", "in_stock", "on_sale", "categories.lvl0", "price"} <= set(answer["facets"])
    assert sum(answer["facets"]["in_stock"].values()) == answer["nbHits"]


def test_search_for_facet_values(read_api: httpx.Client, catalog: Catalog) -> None:
    response = read_api.post(
        "/1/indexes/products/facets/brand/query",
        json=in_dataset(
            {
                "facetQuery": "sp",
                "query": "hülle",
                "highlightPreTag": "<b>",
                "highlightPostTag": "</b>",
            }
        ),
    )
    assert response.status_code == 200, response.text
    hits = response.json()["facetHits"]
    spigen = next(h for h in hits if h["value"] == "Spigen")
    assert spigen["highlighted"] == "<b>Sp</b>igen"
    assert spigen["count"] == _total(read_api, "hülle", ["brand:Spigen"])
    assert all(h["value"].lower().startswith("sp") or " sp" in h["value"].lower() for h in hits)
    # the facet's own filter counts too (InstantSearch leaves it out itself where it should)
    narrowed = read_api.post(
        "/1/indexes/products/facets/brand/query",
        json=in_dataset({"facetQuery": "", "facetFilters": ["brand:Hama"], "maxFacetHits": 5}),
    ).json()["facetHits"]
    assert [h["value"] for h in narrowed] == ["Hama"]
