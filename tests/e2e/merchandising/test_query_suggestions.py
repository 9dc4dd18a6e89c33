"""Query suggestions built from logged searches, served on the Algolia protocol and in the
native autocomplete, read by the official client too.

The searches go through the read API as a storefront sends them; the stack's
own roll-up moves them into Elasticsearch, and the worker job's function
(under its lock) builds the suggestions index from them (the whole stack's searches: each
test checks only its own made-up words).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from algoliasearch.http.hosts import Host, HostsCollection
from algoliasearch.search.client import SearchClientSync
from algoliasearch.search.config import SearchConfig

from analytics.events import events_pattern
from analytics.suggestions_build import build_once
from analytics.suggestions_index import ALGOLIA_INDEX
from catalog.clients import Clients
from catalog.clock import now_ms
from catalog.settings import Settings
from tests.e2e.conftest import Keys
from tests.e2e.merchandising.test_synonyms import made_up_word
from tests.e2e.read_api.conftest import load_indexed

ROLLUP_WAIT_S = 60.0


def search_logged(reader: httpx.Client, text: str, times: int) -> None:
    for _ in range(times):
        response = reader.post(
            "/1/indexes/products/query",
            json={"query": text},
            headers={"Cache-Control": "no-cache"},  # each one a search of its own
        )
        assert response.status_code == 200, response.text


def wait_logged(settings: Settings, texts: list[str], times: int) -> None:
    """Wait until the roll-up has indexed `times` searches of each text."""

    async def count() -> dict[str, int]:
        clients = Clients.from_settings(settings)
        try:
            index = events_pattern(settings.es_index_prefix)
            await clients.es.indices.refresh(index=index, ignore_unavailable=True)
            answer = await clients.es.search(
                index=index,
                size=0,
                query={"terms": {"query": texts}},
                aggs={"q": {"terms": {"field": "query", "size": len(texts)}}},
                ignore_unavailable=True,
            )
            buckets = answer["aggregations"]["q"]["buckets"]
            return {b["key"]: b["doc_count"] for b in buckets}
        finally:
            await clients.close()

    deadline = time.monotonic() + ROLLUP_WAIT_S
    while True:
        found = asyncio.run(count())
        if all(found.get(text, 0) >= times for text in texts):
            return
        assert time.monotonic() < deadline, f"searches not rolled up: {found}"
        time.sleep(0.5)


def build_as_the_job(settings: Settings) -> int:
    """Build the suggestions as the worker job does (waiting while the job itself builds)."""

    async def build() -> int | None:
        clients = Clients.from_settings(settings)
        try:
            return await build_once(clients, now_ms())
        finally:
            await clients.close()

    deadline = time.monotonic() + ROLLUP_WAIT_S
    while (built := asyncio.run(build())) is None:
        assert time.monotonic() < deadline, "the suggestions job kept its lock"
        time.sleep(0.5)
    return built


def _suggest(reader: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = reader.post(f"/1/indexes/{ALGOLIA_INDEX}/query", json=fields)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_popular_searches_with_hits_become_suggestions(
    settings: Settings, keys: Keys, write_api: httpx.Client
) -> None:
    word, other, typo = made_up_word(), made_up_word(), made_up_word()
    products = [
        {"id": f"QS-{word}-{n}", "title": f"{word.capitalize()} Hülle {n}", "brand": brand,
         "categories": [["Handyzubehör", "Hüllen"]], "price": 9.0 + n, "stock": 1}
        for n, brand in enumerate(("Acme", "Acme", "Hama"), start=1)
    ]  # fmt: skip
    products.append({"id": f"QS-{other}", "title": f"{other.capitalize()} Kabel", "price": 5.0})
    load_indexed(settings, keys, products)
    popular, keystroke, once = f"{word} hülle", word[:6], other
    with httpx.Client(base_url=f"http://127.0.0.1:{settings.read_api_port}", timeout=30) as reader:
        search_logged(reader, popular, 4)
        search_logged(reader, keystroke, 3)  # typed on the way to the popular query
        search_logged(reader, once, 1)  # below the minimum count
        search_logged(reader, typo, 4)  # finds nothing
        wait_logged(settings, [popular, keystroke, typo], 3)
        assert build_as_the_job(settings) >= 1

        answer = _suggest(reader, query=word[:4], hitsPerPage=10)
        ours = [hit for hit in answer["hits"] if word in hit["query"]]
        assert [hit["query"] for hit in ours] == [popular]
        hit = ours[0]
        assert hit["objectID"] == popular
        assert hit["popularity"] >= 4
        assert hit["nb_words"] == 2
        assert hit["products"]["exact_nb_hits"] == 3
        brands = hit["products"]["facets"]["exact_matches"]["brand"]
        assert brands == [{"value": "Acme", "count": 2}, {"value": "Hama", "count": 1}]
        highlighted = hit["_highlightResult"]["query"]
        assert highlighted["value"] == f"<em>{word[:4]}</em>{word[4:]} hülle"
        assert highlighted["matchLevel"] == "full"
        # the keystroke on the way is not suggested, only where it led
        assert [h["query"] for h in _suggest(reader, query=keystroke)["hits"]] == [popular]
        for text in (once, typo):  # searched too rarely; finds nothing
            assert _suggest(reader, query=text)["hits"] == []

        # the native autocomplete completes to it first
        native = reader.get("/v1/autocomplete", params={"q": f"{word} h"})
        assert native.status_code == 200, native.text
        first = native.json()["completions"][0]
        assert first["text"] == popular
        assert first["count"] == 3
        assert first["highlighted"] == f"{word} <em>h</em>ülle"


def test_the_official_client_searches_the_suggestions(settings: Settings, keys: Keys) -> None:
    config = SearchConfig("catalog-search", keys.search)
    config.hosts = HostsCollection([Host("127.0.0.1", scheme="http", port=settings.read_api_port)])
    with SearchClientSync.create_with_config(config) as client:
        answer = client.search_single_index(ALGOLIA_INDEX, {"query": "", "hitsPerPage": 5})
        assert answer.nb_hits is not None
        assert len(answer.hits) == min(5, answer.nb_hits)
        both = client.search(
            {"requests": [{"indexName": ALGOLIA_INDEX, "query": "h"},
                          {"indexName": "products", "query": "h", "hitsPerPage": 1}]}
        )  # fmt: skip
        assert len(both.results) == 2


def test_an_unbuilt_or_missing_suggestions_index_answers_no_hits(
    settings: Settings, keys: Keys
) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{settings.read_api_port}", timeout=30) as reader:
        answer = _suggest(reader, query=made_up_word())
        assert answer["hits"] == []
        assert answer["nbHits"] == 0
