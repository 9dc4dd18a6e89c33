"""Search settings over HTTP (stop words, the default facet order), and the Algolia settings
and rule reads, with the official client too.

The settings are global to the stack: each test uses made-up stop words no
other search has, and puts back the settings it found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from algoliasearch.http.hosts import Host, HostsCollection
from algoliasearch.search.client import SearchClientSync
from algoliasearch.search.config import SearchConfig

from catalog.settings import Settings
from tests.e2e.conftest import Keys
from tests.e2e.merchandising.test_synonyms import made_up_word, within_sync_bound
from tests.e2e.read_api.conftest import load_indexed

ORDERING = {
    "facetOrdering": {
        "facets": {"order": ["brand", "price"]},
        "values": {"brand": {"order": ["Hama"], "sortRemainingBy": "alpha"}},
    }
}
SERVER_FIELDS = ("objectID", "version", "created_at", "updated_at")


@pytest.fixture
def search_settings(write_api: httpx.Client) -> Iterator[Callable[[dict[str, Any]], None]]:
    """Replace the settings (200 asserted); the ones found are put back after the test."""
    found = write_api.get("/v1/settings")
    assert found.status_code == 200, found.text
    before = {k: v for k, v in found.json().items() if k not in SERVER_FIELDS}

    def put(body: dict[str, Any]) -> None:
        response = write_api.put("/v1/settings", json=body)
        assert response.status_code == 200, response.text

    yield put
    write_api.put("/v1/settings", json=before)


@pytest.fixture
def word(settings: Settings, keys: Keys) -> str:
    """A made-up word and one product titled with it (id SET-<word>)."""
    made = made_up_word()
    product = {"id": f"SET-{made}", "title": f"{made.capitalize()} Hülle", "price": 5.0, "stock": 1}
    load_indexed(settings, keys, [product])
    return made


def _native(reader: httpx.Client, text: str) -> dict[str, Any]:
    response = reader.get("/v1/search", params={"q": text})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _algolia(reader: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = reader.post("/1/indexes/products/query", json=fields)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_settings_are_versioned_and_checked_at_the_edge(
    write_api: httpx.Client, search_settings: Callable[[dict[str, Any]], None]
) -> None:
    search_settings({"stopWords": {"de": ["qvfoo"]}})
    current = write_api.get("/v1/settings")
    version = current.json()["version"]
    assert current.headers["ETag"] == f'"{version}"'
    assert current.json()["stopWords"] == {"de": ["qvfoo"]}
    stale = write_api.put(
        "/v1/settings", json={"stopWords": {}}, headers={"If-Match": f'"{version + 5}"'}
    )
    assert stale.status_code == 412
    bad = {
        "unknown field": ({"stopWords": {}, "ranking": []}, ["body", "ranking"]),
        "two words": ({"stopWords": {"de": ["zwei worte"]}}, ["body", "stopWords", "de"]),
        "an unknown language": (
            {"stopWords": {"fr": ["le"]}},
            ["body", "stopWords", "fr", "[key]"],
        ),
        "a bad facet ordering": (
            {"renderingContent": {"facetOrdering": {"facets": {"order": "brand"}}}},
            ["body", "renderingContent", "facetOrdering", "facets", "order"],
        ),
    }
    for name, (body, loc) in bad.items():
        response = write_api.put("/v1/settings", json=body)
        assert response.status_code == 422, name
        assert response.json()["detail"][0]["loc"] == loc, (name, response.json())
    assert write_api.get("/v1/settings").json()["version"] == version  # nothing was written


def test_a_stop_word_leaves_queries_on_both_protocols_live(
    reader: httpx.Client, word: str, search_settings: Callable[[dict[str, Any]], None]
) -> None:
    filler = made_up_word()
    typed = f"{filler} {word}"
    assert _native(reader, typed)["query"] == typed
    search_settings({"stopWords": {"de": [filler.upper()]}})  # compared case-folded
    within_sync_bound(lambda: _native(reader, typed)["query"] == word, "the stop word")
    answer = _native(reader, typed)
    assert [hit["id"] for hit in answer["hits"]] == [f"SET-{word}"]
    algolia = _algolia(reader, query=typed)
    assert algolia["query"] == word
    assert [hit["objectID"] for hit in algolia["hits"]] == [f"SET-{word}"]
    # a query of stop words only is searched as typed
    assert _native(reader, filler)["query"] == filler
    # a search in another language keeps the German stop words
    english = reader.get("/v1/search", params={"q": typed, "lang": "en"})
    assert english.json()["query"] == typed
    assert _algolia(reader, query=typed, queryLanguages=["en"])["query"] == typed
    assert _algolia(reader, query=typed, queryLanguages=["de"])["query"] == word
    search_settings({})
    within_sync_bound(lambda: _native(reader, typed)["query"] == typed, "its removal")


def test_the_default_facet_ordering_reaches_every_algolia_answer(
    reader: httpx.Client, search_settings: Callable[[dict[str, Any]], None]
) -> None:
    query = made_up_word()
    assert "renderingContent" not in _algolia(reader, query=query)
    search_settings({"renderingContent": ORDERING})
    within_sync_bound(
        lambda: _algolia(reader, query=query).get("renderingContent") == ORDERING,
        "the facet ordering",
    )


def test_reading_settings_and_rules_needs_a_key_that_may_read_settings(
    reader: httpx.Client, keys: Keys
) -> None:
    for method, path in (
        ("GET", "/1/indexes/products/settings"),
        ("POST", "/1/indexes/products/rules/search"),
        ("GET", "/1/indexes/products/rules/some-rule"),
    ):
        anonymous = reader.request(method, path, json={} if method == "POST" else None)
        assert anonymous.status_code == 401, path
        searcher = reader.request(
            method,
            path,
            json={} if method == "POST" else None,
            headers={"X-Algolia-API-Key": keys.search, "X-Algolia-Application-Id": "x"},
        )
        assert searcher.status_code == 403, path
        assert set(searcher.json()) == {"message", "status"}
    editor = {"X-Algolia-API-Key": keys.editor, "X-Algolia-Application-Id": "x"}
    assert reader.get("/1/indexes/nope/settings", headers=editor).status_code == 404
    assert reader.get("/1/indexes/products/rules/no-such-rule", headers=editor).status_code == 404


def test_the_official_client_reads_settings_and_rules(
    settings: Settings,
    keys: Keys,
    write_api: httpx.Client,
    search_settings: Callable[[dict[str, Any]], None],
) -> None:
    search_settings({"renderingContent": ORDERING, "stopWords": {"en": [made_up_word()]}})
    context = f"ctx-{made_up_word()}"
    rule_id = f"e2e-{made_up_word()}"
    rule = {
        "description": "settings test",
        "conditions": [{"pattern": "hülle", "anchoring": "contains", "context": context}],
        "consequence": {"userData": {"banner": "x"}},
    }
    assert write_api.put(f"/v1/rules/{rule_id}", json=rule).status_code == 201
    config = SearchConfig("catalog-search", keys.editor)
    config.hosts = HostsCollection([Host("127.0.0.1", scheme="http", port=settings.read_api_port)])
    try:
        with SearchClientSync.create_with_config(config) as client:
            within_sync_bound(
                lambda: client.search_rules("products", {"context": context}).nb_hits == 1,
                "the rule",
            )
            found = client.search_rules("products", {"context": context, "anchoring": "contains"})
            assert [hit.object_id for hit in found.hits] == [rule_id]
            assert client.search_rules("products", {"query": rule_id}).nb_hits == 1
            assert (
                client.search_rules("products", {"context": context, "anchoring": "is"}).nb_hits
                == 0
            )
            got = client.get_rule("products", rule_id)
            assert got.object_id == rule_id
            assert got.consequence is not None
            assert got.consequence.user_data == {"banner": "x"}
            within_sync_bound(
                lambda: client.get_settings("products").rendering_content is not None,
                "the settings",
            )
            index = client.get_settings("products")
            assert index.attribute_for_distinct == "group_id"
            assert "searchable(brand)" in (index.attributes_for_faceting or [])
            assert index.replicas is not None
            assert "products_price_asc" in index.replicas
            assert index.rendering_content is not None
            assert index.rendering_content.to_dict() == ORDERING
            replica = client.get_settings("products_price_asc")
            assert replica.primary == "products"
    finally:
        write_api.delete(f"/v1/rules/{rule_id}")
