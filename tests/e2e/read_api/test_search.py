"""Full-text search over HTTP: visibility, typo tolerance, ranking, highlighting, suggestions."""

from __future__ import annotations

import httpx
import pytest

from catalog.settings import Settings
from read_api.schemas import Hit
from tests.e2e.read_api.conftest import Catalog, es_count, in_dataset_query, search


def test_only_active_products_are_found(
    read_api: httpx.Client, catalog: Catalog, es: httpx.Client, settings: Settings
) -> None:
    answer = search(read_api, page_size=100)
    assert answer["total"] == len(catalog.active)
    assert answer["total"] == es_count(es, settings, in_dataset_query())
    active = {p["id"] for p in catalog.active}
    assert {hit["id"] for hit in answer["hits"]} <= active


def test_hits_carry_only_public_fields(read_api: httpx.Client, catalog: Catalog) -> None:
    answer = search(read_api, q="hülle", page_size=50)
    public = set(Hit.model_fields)
    for hit in answer["hits"]:
        assert set(hit) <= public
        assert not {"status", "attrs_kw", "attrs_num", "version", "category_text"} & set(hit)


def test_umlaut_spellings_find_the_same_products(read_api: httpx.Client, catalog: Catalog) -> None:
    totals = {q: search(read_api, q=q, page_size=0)["total"] for q in ("hülle", "hulle", "huelle")}
    assert len(set(totals.values())) == 1, totals
    assert totals["hülle"] > 0


def test_a_misspelt_iphone_finds_iphone_cases(read_api: httpx.Client, catalog: Catalog) -> None:
    typo = search(read_api, q="iphnoe hülle", page_size=20)
    exact = search(read_api, q="iphone hülle", page_size=0)
    assert typo["total"] >= exact["total"] > 0
    for hit in typo["hits"]:
        title = hit["title"].lower()
        assert "iphone" in title, title
        assert "ülle" in title, title


def test_short_words_are_not_typo_matched(read_api: httpx.Client, catalog: Catalog) -> None:
    # "usa" is one letter from "usb", but three letters are too short for typos
    assert search(read_api, q="usa", page_size=0)["total"] == 0
    assert search(read_api, q="usb", page_size=0)["total"] > 0


def test_the_last_word_matches_as_a_prefix(read_api: httpx.Client, catalog: Catalog) -> None:
    answer = search(read_api, q="spigen ultra hyb", page_size=10)
    assert answer["total"] > 0
    assert all("Ultra Hybrid" in hit["title"] for hit in answer["hits"])


def test_an_exact_id_comes_first(read_api: httpx.Client, catalog: Catalog) -> None:
    wanted = catalog.active[17]["id"]
    answer = search(read_api, q=wanted, page_size=5)
    assert answer["hits"][0]["id"] == wanted


def test_an_ean_finds_its_product_first(read_api: httpx.Client, catalog: Catalog) -> None:
    product = next(p for p in catalog.active if p["attributes"].get("ean"))
    ean = product["attributes"]["ean"]
    answer = search(read_api, q=ean if isinstance(ean, str) else ean[0], page_size=5)
    assert answer["hits"][0]["id"] == product["id"]


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        # a compound typed: titles say "Ladegerät", which the index also split out
        ("schnellladegerät", ("ladegerät",)),
        # two words joined: titles say "Headphones" (or, by synonym, "Kopfhörer")
        ("head phones", ("headphones", "kopfhörer")),
    ],
)
def test_words_typed_otherwise_than_titles_write_them_are_found(
    read_api: httpx.Client, catalog: Catalog, typed: str, kind: tuple[str, ...]
) -> None:
    assert not any(typed in p["title"].lower() for p in catalog.active)
    answer = search(read_api, q=typed, page_size=10)
    assert answer["total"] > 0
    for hit in answer["hits"]:
        assert any(word in hit["title"].lower() for word in kind), hit["title"]


def test_highlights_use_the_requested_tags_and_escape_the_text(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    answer = search(
        read_api, q="spigen", highlight_pre_tag="[[", highlight_post_tag="]]", page_size=10
    )
    assert answer["hits"]
    for hit in answer["hits"]:
        assert "[[Spigen]]" in hit["highlights"]["title"]
    plain = search(read_api, q="spigen", highlight="false", page_size=3)
    assert all(hit["highlights"] == {} for hit in plain["hits"])


def test_nothing_found_comes_with_a_suggestion(read_api: httpx.Client, catalog: Catalog) -> None:
    answer = search(read_api, q="iphnoe", typo_tolerance="false", page_size=5)
    assert answer["total"] == 0
    assert answer["suggestion"] == "iphone"
    assert search(read_api, q=answer["suggestion"], page_size=0)["total"] > 0


def test_post_with_structured_filters_equals_get(read_api: httpx.Client, catalog: Catalog) -> None:
    got = search(read_api, q="hülle", filter=["price:[10,30)", "-attributes.color:schwarz"])
    posted = read_api.post(
        "/v1/search",
        json={
            "q": "hülle",
            "filters": [
                {"field": "attributes.dataset", "values": ["read-api-e2e"]},
                {"field": "price", "gte": 10, "lt": 30},
                {"field": "attributes.color", "values": ["schwarz"], "exclude": True},
            ],
        },
    )
    assert posted.status_code == 200, posted.text
    assert posted.json()["total"] == got["total"] > 0
    assert [h["id"] for h in posted.json()["hits"]] == [h["id"] for h in got["hits"]]


def test_sort_orders(read_api: httpx.Client, catalog: Catalog) -> None:
    def values(sort: str, key: str) -> list[object]:
        return [h[key] for h in search(read_api, sort=sort, page_size=100)["hits"]]

    cheap = values("price_asc", "effective_price")
    assert cheap == sorted(cheap)
    dear = values("price_desc", "effective_price")
    assert dear == sorted(dear, reverse=True)
    newest = values("newest", "created_at")
    assert newest == sorted(newest, reverse=True)
    rated = [h for h in search(read_api, sort="rating", filter="rating:>=0", page_size=100)["hits"]]
    keys = [(h["rating"], h["review_count"]) for h in rated]
    assert keys == sorted(keys, reverse=True)
