"""Algolia searches over HTTP: the native engine's hits and totals, paging, replicas, records."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

import httpx
import orjson

from tests.e2e.algolia.conftest import IN_DATASET, algolia, in_dataset, without_timing
from tests.e2e.read_api.conftest import Catalog, search


def test_totals_and_hits_are_the_native_searchs(read_api: httpx.Client, catalog: Catalog) -> None:
    answer = algolia(read_api, query="hülle", hitsPerPage=10, page=1)
    native = search(read_api, q="hülle", page_size=10, page=2)
    assert answer["nbHits"] == native["total"] > 10
    assert [h["objectID"] for h in answer["hits"]] == [h["id"] for h in native["hits"]]
    assert answer["page"] == 1
    assert answer["hitsPerPage"] == 10
    assert answer["nbPages"] == native["pages"]
    assert answer["query"] == "hülle"
    assert answer["index"] == "products"


def test_records_carry_public_fields_levels_and_attributes(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    answer = algolia(read_api, query="hülle", hitsPerPage=20)
    sent = {p["id"]: p for p in catalog.products}
    for hit in answer["hits"]:
        product = sent[hit["objectID"]]
        assert hit["id"] == hit["objectID"]
        assert hit["title"] == product["title"]
        assert hit["attributes"] == product["attributes"]
        assert hit["in_stock"] == (product["stock"] > 0)
        first = product["categories"][0]
        assert " > ".join(first[:2]) in hit["categories"].get("lvl1", [first[0]])
        assert first[0] in hit["categories"]["lvl0"]
        assert not {"status", "version", "attrs_kw", "category_paths"} & set(hit)


def test_pages_walk_through_every_hit_once(read_api: httpx.Client, catalog: Catalog) -> None:
    first = algolia(read_api, query="kabel", hitsPerPage=50)
    seen: list[str] = []
    for page in range(first["nbPages"]):
        seen += [
            h["objectID"]
            for h in algolia(read_api, query="kabel", hitsPerPage=50, page=page)["hits"]
        ]
    assert len(seen) == len(set(seen)) == first["nbHits"]
    beyond = algolia(read_api, query="kabel", hitsPerPage=50, page=first["nbPages"])
    assert beyond["hits"] == []
    window = algolia(read_api, query="kabel", offset=3, length=4)
    assert [h["objectID"] for h in window["hits"]] == seen[3:7]
    assert (window["offset"], window["length"]) == (3, 4)


def test_replicas_sort_the_hits(read_api: httpx.Client, catalog: Catalog) -> None:
    def values(index: str, field: str) -> list[float]:
        hits = algolia(read_api, index, query="kabel", hitsPerPage=100)["hits"]
        return [h[field] for h in hits if h.get(field) is not None]

    cheap_first = values("products_price_asc", "effective_price")
    assert cheap_first == sorted(cheap_first)
    dear_first = values("products_price_desc", "effective_price")
    assert dear_first == sorted(dear_first, reverse=True)
    assert dear_first[0] >= cheap_first[-1]
    ratings = values("products_rating_desc", "rating")
    assert ratings == sorted(ratings, reverse=True)
    newest = values("products_newest", "created_at")
    assert newest == sorted(newest, reverse=True)
    relevance = algolia(read_api, "products", query="kabel", hitsPerPage=100)
    assert relevance["nbHits"] == algolia(read_api, "products_newest", query="kabel")["nbHits"]


def test_custom_highlight_tags_mark_matched_words(read_api: httpx.Client, catalog: Catalog) -> None:
    pre, post = "__ais-highlight__", "__/ais-highlight__"
    answer = algolia(
        read_api, query="spigen", hitsPerPage=5, highlightPreTag=pre, highlightPostTag=post
    )
    assert answer["hits"]
    for hit in answer["hits"]:
        brand = hit["_highlightResult"]["brand"]
        assert brand["value"] == f"{pre}Spigen{post}"
        assert brand["matchLevel"] == "full"
        assert brand["matchedWords"] == ["spigen"]
        assert brand["fullyHighlighted"] is True
        title = hit["_highlightResult"]["title"]
        assert re.sub(f"{re.escape(pre)}|{re.escape(post)}", "", title["value"]) == hit["title"]
        assert "<em>" not in title["value"]


def test_only_the_attributes_asked_for_are_retrieved(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    answer = algolia(
        read_api,
        query="kabel",
        hitsPerPage=3,
        attributesToRetrieve=["title", "attributes.color"],
        attributesToHighlight=[],
    )
    for hit in answer["hits"]:
        assert set(hit) <= {"objectID", "title", "attributes"}
        assert set(hit.get("attributes", {})) <= {"color"}


def test_click_analytics_hands_out_a_fresh_query_id_even_from_the_cache(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    body = in_dataset({"query": "ladegerät", "clickAnalytics": True, "hitsPerPage": 2})
    ids = []
    states = []
    for _ in range(2):
        response = read_api.post("/1/indexes/products/query", json=body)
        assert response.status_code == 200
        ids.append(response.json()["queryID"])
        states.append(response.headers["x-cache"])
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert ids[0] != ids[1]
    assert states[1] == "hit"
    plain = algolia(read_api, query="ladegerät", hitsPerPage=2)
    assert "queryID" not in plain


def test_the_params_string_and_top_level_fields_answer_alike(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    fields = in_dataset(
        {"query": "hülle", "hitsPerPage": 4, "page": 1, "facets": ["brand", "in_stock"]}
    )
    encoded = urlencode(
        {k: v if isinstance(v, str) else orjson.dumps(v).decode() for k, v in fields.items()}
    )
    top = read_api.post("/1/indexes/products/query", json=fields).json()
    string = read_api.post("/1/indexes/products/query", json={"params": encoded}).json()
    assert {k: v for k, v in without_timing(top).items() if k != "params"} == {
        k: v for k, v in without_timing(string).items() if k != "params"
    }
    assert string["params"] == encoded
    via_get = read_api.get(
        "/1/indexes/products", params=[("x-algolia-api-key", "public"), *parse_qsl(encoded)]
    )
    assert via_get.status_code == 200
    assert via_get.json()["nbHits"] == top["nbHits"]


def test_a_form_encoded_body_is_read_as_json(read_api: httpx.Client, catalog: Catalog) -> None:
    # algoliasearch (JavaScript) posts JSON as form data so browsers skip the preflight
    body = orjson.dumps({"query": "kabel", "facetFilters": [IN_DATASET], "hitsPerPage": 1})
    response = read_api.post(
        "/1/indexes/products/query",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["nbHits"] == algolia(read_api, query="kabel")["nbHits"]
