"""Synonym sets over HTTP: live on both protocols through the cache, with no reindex.

Synonym sets apply to every search of the stack, so each test's words are
made up for it (letters no catalog has) and its sets are deleted after it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from algoliasearch.http.hosts import Host, HostsCollection
from algoliasearch.search.client import SearchClientSync
from algoliasearch.search.config import SearchConfig

from catalog.settings import Settings
from tests.e2e.conftest import Keys, api_url
from tests.e2e.read_api.conftest import load_indexed

SYNC_BOUND_S = 2.0  # the contract's bound for a change to be visible
DATASET = "synonyms-e2e"


def made_up_word() -> str:
    """A word of letters only that no other product holds."""
    return "qv" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:10])


@pytest.fixture
def words(settings: Settings, keys: Keys) -> tuple[str, str]:
    """Two made-up words and one product titled with each (ids SYN-<word>)."""
    first, second = made_up_word(), made_up_word()
    products = [
        {
            "id": f"SYN-{word}",
            "title": f"{word.capitalize()} {kind}",
            "price": 9.5,
            "stock": 3,
            "attributes": {"dataset": DATASET},
        }
        for word, kind in ((first, "Hülle"), (second, "Ladekabel"))
    ]
    load_indexed(settings, keys, products)
    return first, second


@pytest.fixture
def reader(settings: Settings) -> Iterator[httpx.Client]:
    """The read API (public)."""
    with httpx.Client(base_url=api_url(settings, "read_api"), timeout=30) as client:
        yield client


@pytest.fixture
def synonym_sets(write_api: httpx.Client) -> Iterator[Callable[[dict[str, Any]], str]]:
    """Make synonym sets (PUT, 201 asserted); each is deleted after the test."""
    made: list[str] = []

    def make(body: dict[str, Any]) -> str:
        set_id = f"e2e-{uuid.uuid4().hex[:12]}"
        response = write_api.put(f"/v1/synonyms/{set_id}", json=body)
        assert response.status_code == 201, response.text
        made.append(set_id)
        return set_id

    yield make
    for set_id in made:
        write_api.delete(f"/v1/synonyms/{set_id}")


def native_ids(reader: httpx.Client, word: str) -> set[str]:
    """The ids a native search for `word` finds (through the cache, as shoppers search)."""
    response = reader.get("/v1/search", params={"q": word})
    assert response.status_code == 200, response.text
    return {hit["id"] for hit in response.json()["hits"]}


def algolia_ids(reader: httpx.Client, word: str) -> set[str]:
    """The objectIDs an Algolia search for `word` finds."""
    response = reader.post("/1/indexes/products/query", json={"query": word})
    assert response.status_code == 200, response.text
    return {hit["objectID"] for hit in response.json()["hits"]}


def within_sync_bound(check: Callable[[], bool], what: str) -> None:
    """Poll `check` until it holds; fail when that takes longer than the sync bound."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < SYNC_BOUND_S, f"{what} not live within 2 s"
        time.sleep(0.05)


def test_a_two_way_set_is_live_through_the_cache_and_its_delete_too(
    reader: httpx.Client,
    write_api: httpx.Client,
    words: tuple[str, str],
    synonym_sets: Callable[[dict[str, Any]], str],
) -> None:
    first, second = words
    one, other = f"SYN-{first}", f"SYN-{second}"
    assert native_ids(reader, first) == {one}
    cached = reader.get("/v1/search", params={"q": first})
    assert cached.headers["x-cache"] == "hit"  # the answer without synonyms is cached
    set_id = synonym_sets({"synonyms": [first, second]})
    within_sync_bound(lambda: native_ids(reader, first) == {one, other}, "the synonym set")
    assert native_ids(reader, second) == {one, other}
    assert algolia_ids(reader, first) == {one, other}
    assert write_api.delete(f"/v1/synonyms/{set_id}").status_code == 200
    within_sync_bound(lambda: native_ids(reader, first) == {one}, "the delete")
    assert algolia_ids(reader, second) == {other}


def test_a_one_way_set_finds_its_synonyms_for_its_input_only(
    reader: httpx.Client, words: tuple[str, str], synonym_sets: Callable[[dict[str, Any]], str]
) -> None:
    first, second = words
    synonym_sets({"type": "oneWaySynonym", "input": first, "synonyms": [second]})
    both = {f"SYN-{first}", f"SYN-{second}"}
    within_sync_bound(lambda: algolia_ids(reader, first) == both, "the one-way set")
    assert algolia_ids(reader, second) == {f"SYN-{second}"}


def test_the_words_as_typed_rank_above_their_synonyms(
    reader: httpx.Client, words: tuple[str, str], synonym_sets: Callable[[dict[str, Any]], str]
) -> None:
    first, second = words
    synonym_sets({"synonyms": [first, second]})
    within_sync_bound(lambda: len(algolia_ids(reader, second)) == 2, "the synonym set")
    for word in (first, second):
        answer = reader.post("/1/indexes/products/query", json={"query": word}).json()
        assert answer["hits"][0]["objectID"] == f"SYN-{word}"


def test_synonym_sets_are_versioned_and_checked_at_the_edge(
    write_api: httpx.Client, synonym_sets: Callable[[dict[str, Any]], str]
) -> None:
    set_id = synonym_sets({"synonyms": ["handyhülle", "handytasche"]})
    stored = write_api.get(f"/v1/synonyms/{set_id}")
    assert stored.status_code == 200
    assert stored.headers["etag"] == '"1"'
    assert stored.json() | {"created_at": None, "updated_at": None} == {
        "objectID": set_id,
        "type": "synonym",
        "synonyms": ["handyhülle", "handytasche"],
        "version": 1,
        "created_at": None,
        "updated_at": None,
    }
    listed = write_api.get("/v1/synonyms").json()["items"]
    assert set_id in [item["objectID"] for item in listed]
    same = write_api.put(f"/v1/synonyms/{set_id}", json={"synonyms": ["handyhülle", "handytasche"]})
    assert (same.status_code, same.json()["version"]) == (200, 1)  # unchanged
    stale = write_api.put(
        f"/v1/synonyms/{set_id}",
        json={"synonyms": ["handyhülle", "etui"]},
        headers={"If-Match": '"7"'},
    )
    assert stale.status_code == 412
    changed = write_api.put(
        f"/v1/synonyms/{set_id}",
        json={"synonyms": ["handyhülle", "etui"]},
        headers={"If-Match": '"1"'},
    )
    assert (changed.status_code, changed.headers["etag"]) == (200, '"2"')
    bad = write_api.put(f"/v1/synonyms/{set_id}", json={"synonyms": ["etui"], "extra": 1})
    assert bad.status_code == 422
    assert ["body", "extra"] in [e["loc"] for e in bad.json()["detail"]]
    other_id = write_api.put(
        f"/v1/synonyms/{set_id}", json={"synonyms": ["a", "b"], "objectID": "x"}
    )
    assert other_id.status_code == 422
    assert write_api.get("/v1/synonyms/e2e-nothing-here").status_code == 404
    assert write_api.delete("/v1/synonyms/e2e-nothing-here").status_code == 404
    created = write_api.post("/v1/synonyms", json={"synonyms": ["akku", "batterie"]})
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/v1/synonyms/{created.json()['objectID']}"
    assert write_api.delete(created.headers["location"]).status_code == 200


def test_reading_and_writing_synonyms_needs_an_editor(settings: Settings, keys: Keys) -> None:
    url = api_url(settings, "write_api")
    assert httpx.get(f"{url}/v1/synonyms", timeout=30).status_code == 401
    analyst = {"Authorization": f"Bearer {keys.analyst}"}
    body = {"synonyms": ["a", "b"]}
    assert (
        httpx.post(f"{url}/v1/synonyms", json=body, headers=analyst, timeout=30).status_code == 403
    )


def test_the_algolia_protocol_reads_the_sets_searches_use(
    keys: Keys,
    reader: httpx.Client,
    words: tuple[str, str],
    synonym_sets: Callable[[dict[str, Any]], str],
) -> None:
    first, second = words
    set_id = synonym_sets({"type": "oneWaySynonym", "input": first, "synonyms": [second]})
    editor = {"X-Algolia-API-Key": keys.editor, "X-Algolia-Application-Id": "catalog-search"}
    path = f"/1/indexes/products/synonyms/{set_id}"
    within_sync_bound(lambda: reader.get(path, headers=editor).status_code == 200, "the set")
    assert reader.get(path, headers=editor).json() == {
        "objectID": set_id,
        "type": "oneWaySynonym",
        "input": first,
        "synonyms": [second],
    }
    found = reader.post(
        "/1/indexes/products/synonyms/search",
        json={"query": second.upper(), "type": "oneWaySynonym"},
        headers=editor,
    ).json()
    assert [hit["objectID"] for hit in found["hits"]] == [set_id]
    assert found["nbHits"] == 1
    none = reader.post(
        "/1/indexes/products/synonyms/search",
        json={"query": second, "type": "synonym"},
        headers=editor,
    ).json()
    assert none == {"hits": [], "nbHits": 0}
    missing = reader.get("/1/indexes/products/synonyms/e2e-nothing-here", headers=editor)
    assert (missing.status_code, missing.json()["status"]) == (404, 404)
    # a search key may search, not read settings; no key at all is 401
    shopper = {"X-Algolia-API-Key": keys.search, "X-Algolia-Application-Id": "catalog-search"}
    assert reader.get(path, headers=shopper).status_code == 403
    assert reader.get(path).status_code == 401
    bad = reader.post(
        "/1/indexes/products/synonyms/search", json={"type": "altCorrection1"}, headers=editor
    )
    assert bad.status_code == 400


def test_the_official_client_reads_synonyms(
    settings: Settings,
    keys: Keys,
    reader: httpx.Client,
    words: tuple[str, str],
    synonym_sets: Callable[[dict[str, Any]], str],
) -> None:
    first, second = words
    set_id = synonym_sets({"synonyms": [first, second]})
    config = SearchConfig("catalog-search", keys.editor)
    config.hosts = HostsCollection([Host("127.0.0.1", scheme="http", port=settings.read_api_port)])
    with SearchClientSync.create_with_config(config) as client:
        within_sync_bound(
            lambda: client.search_synonyms("products", {"query": first}).nb_hits == 1,
            "the set",
        )
        hit = client.get_synonym("products", set_id)
        assert hit.object_id == set_id
        assert hit.synonyms == [first, second]
        found = client.search_synonyms("products", {"query": second})
        assert [h.object_id for h in found.hits] == [set_id]
