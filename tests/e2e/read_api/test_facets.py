"""Facet counts over HTTP: each count is the total the query would have with that value chosen."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.read_api.conftest import Catalog, search

FACETS = "brand,in_stock,on_sale,attributes.color,categories,effective_price,attributes.weight_g"


def _total(client: httpx.Client, q: str, filters: list[str]) -> int:
    return int(search(client, q=q, filter=filters, page_size=0)["total"])


def _check_terms(
    client: httpx.Client, q: str, filters: list[str], field: str, values: list[dict[str, Any]]
) -> None:
    # a facet ignores its own field's filters: the count is "this value instead"
    others = [f for f in filters if not f.lstrip("-").startswith(f"{field}:")]
    for value in values[:3]:
        expected = _total(client, q, [*others, f"{field}:{value['value']}"])
        assert value["count"] == expected, (field, value)


def test_terms_facets_are_disjunctive_and_exact(read_api: httpx.Client, catalog: Catalog) -> None:
    filters = ["brand:Spigen", "brand:Hama", "in_stock:true"]
    answer = search(read_api, q="hülle", filter=filters, facets=FACETS, page_size=0)
    facets = answer["facets"]
    brands = {v["value"]: v for v in facets["brand"]["values"]}
    assert brands["Spigen"]["selected"]
    assert brands["Hama"]["selected"]
    # disjunctive: choosing Spigen does not hide the other brands
    assert len(brands) > 2
    assert answer["total"] == brands["Spigen"]["count"] + brands["Hama"]["count"]
    for field in ("brand", "in_stock", "on_sale", "attributes.color"):
        _check_terms(read_api, "hülle", filters, field, facets[field]["values"])


def test_excluded_values_and_ranges_narrow_other_facets(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    filters = ["-attributes.color:schwarz", "effective_price:[10,40)"]
    answer = search(read_api, filter=filters, facets=FACETS, page_size=0)
    facets = answer["facets"]
    colours = {v["value"] for v in facets["attributes.color"]["values"]}
    assert "schwarz" in colours  # its own exclusion does not hide it
    for field in ("brand", "attributes.color"):
        _check_terms(read_api, "", filters, field, facets[field]["values"])
    for bucket in facets["effective_price"]["ranges"]:
        others = [f for f in filters if not f.startswith("effective_price:")]
        assert bucket["count"] == _total(read_api, "", [*others, bucket["filter"]]), bucket


def test_numeric_stats_match_the_sorted_extremes(read_api: httpx.Client, catalog: Catalog) -> None:
    answer = search(read_api, q="kabel", facets="effective_price", page_size=0)
    stats = answer["facets"]["effective_price"]["stats"]
    cheapest = search(read_api, q="kabel", sort="price_asc", page_size=1)["hits"][0]
    dearest = search(read_api, q="kabel", sort="price_desc", page_size=1)["hits"][0]
    assert stats["min"] == cheapest["effective_price"]
    assert stats["max"] == dearest["effective_price"]
    assert stats["count"] == answer["total"]
    assert sum(b["count"] for b in answer["facets"]["effective_price"]["ranges"]) == answer["total"]


def test_numeric_attribute_facets_count_values(read_api: httpx.Client, catalog: Catalog) -> None:
    answer = search(read_api, q="ladegerät", facets="attributes.power_w", page_size=0)
    facet = answer["facets"]["attributes.power_w"]
    assert facet["kind"] == "numeric"
    assert facet["stats"]["count"] > 0
    for value in facet["values"][:3]:
        filters = [f"attributes.power_w:{value['value']}"]
        assert value["count"] == _total(read_api, "ladegerät", filters), value
    lowest = facet["stats"]["min"]
    assert _total(read_api, "ladegerät", [f"attributes.power_w:<{lowest:g}"]) == 0


def test_category_facet_unfolds_the_selected_path(read_api: httpx.Client, catalog: Catalog) -> None:
    chosen = "Handyzubehör > Hüllen"
    answer = search(read_api, filter=[f"categories:{chosen}"], facets="categories", page_size=0)
    levels = answer["facets"]["categories"]["levels"]
    assert len(levels) == 3  # the top level, children of Handyzubehör, children of Hüllen
    assert {v["value"] for v in levels[0] if v["selected"]} == {"Handyzubehör"}
    assert all(v["value"].startswith("Handyzubehör > ") for v in levels[1])
    assert all(v["value"].startswith(chosen + " > ") for v in levels[2])
    for level in levels:
        for value in level[:3]:
            assert value["count"] == _total(read_api, "", [f"categories:{value['value']}"]), value
    selected = next(v for v in levels[1] if v["value"] == chosen)
    assert selected["selected"]
    assert selected["count"] == answer["total"]


def test_requesting_facets_does_not_change_the_hits(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    filters = ["brand:Spigen", "attributes.color:schwarz"]
    plain = search(read_api, q="hülle", filter=filters, page_size=30)
    facetted = search(read_api, q="hülle", filter=filters, facets="*", page_size=30)
    assert plain["total"] == facetted["total"]
    assert [h["id"] for h in plain["hits"]] == [h["id"] for h in facetted["hits"]]


def test_facet_values_can_be_searched_by_typing(read_api: httpx.Client, catalog: Catalog) -> None:
    response = read_api.get(
        "/v1/facets/brand/values",
        params={"q": "sp", "query": "hülle", "filter": ["attributes.dataset:read-api-e2e"]},
    )
    assert response.status_code == 200, response.text
    values = response.json()["values"]
    assert values
    assert all(v["value"].lower().startswith("sp") for v in values)
    for value in values:
        assert value["count"] == _total(read_api, "hülle", [f"brand:{value['value']}"])
        assert "<em>" in value["highlighted"]


def test_attribute_values_are_found_case_and_accent_blind(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    response = read_api.get(
        "/v1/facets/attributes.color/values",
        params={"q": "WEI", "filter": ["attributes.dataset:read-api-e2e"]},
    )
    assert response.status_code == 200, response.text
    assert [v["value"] for v in response.json()["values"]] == ["weiß"]
