"""The storefront shows what query rules say: a banner from `userData`, the facet order.

Each test writes products named by a made-up word and a rule for that word
only (deleted after), so no other search of the stack fires it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from catalog.settings import Settings
from tests.e2e.conftest import Keys
from tests.e2e.merchandising.test_query_suggestions import (
    build_as_the_job,
    search_logged,
    wait_logged,
)
from tests.e2e.read_api.conftest import load_indexed
from tests.e2e.storefront.conftest import OpenStorefront
from tests.e2e.storefront.storefront_page import Storefront
from tests.stack import wait_for

PAGE_ORDER = ["categories", "brands", "colors", "price", "in-stock"]  # the page's own


def _word() -> str:
    return "qx" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:10])


@pytest.fixture
def word(settings: Settings, keys: Keys) -> str:
    """A made-up word and two products titled with it."""
    made = _word()
    products = [
        {
            "id": f"SFM-{made}-{n}",
            "title": f"{made.capitalize()} Hülle {n}",
            "brand": brand,
            "categories": [["Handyzubehör", "Hüllen"]],
            "price": 10.0 + n,
            "stock": 2,
            "attributes": {"color": "schwarz"},
        }
        for n, brand in enumerate(("Acme", "Hama"), start=1)
    ]
    # beside the browser's thread: Playwright's loop there refuses asyncio.run
    with ThreadPoolExecutor(1) as beside:
        beside.submit(load_indexed, settings, keys, products).result()
    return made


@pytest.fixture
def rule_for(
    write_api: httpx.Client, read_api: httpx.Client
) -> Iterator[Callable[[str, dict[str, Any]], None]]:
    """Make a rule firing on exactly one query word, live before the page searches (so its
    answer is never one from before the rule); deleted after the test."""
    made: list[str] = []

    def make(word: str, consequence: dict[str, Any]) -> None:
        rule_id = f"sf-{word}"
        body = {"conditions": [{"pattern": word, "anchoring": "is"}], "consequence": consequence}
        response = write_api.put(f"/v1/rules/{rule_id}", json=body)
        assert response.status_code == 201, response.text
        made.append(rule_id)
        probe = {"query": word, "getRankingInfo": True, "hitsPerPage": 0}

        def live() -> bool:
            answer = read_api.post("/1/indexes/products/query", json=probe).json()
            return {"objectID": rule_id} in answer.get("appliedRules", [])

        wait_for(live, 10, "the rule live")

    yield make
    for rule_id in made:
        write_api.delete(f"/v1/rules/{rule_id}")


def _sections(storefront: Storefront) -> list[str]:
    found: list[str] = storefront.page.get_by_test_id("filter-section").evaluate_all(
        "els => els.map(e => e.dataset.filter)"
    )
    return found


def _search(storefront: Storefront, word: str) -> dict[str, Any]:
    """Search for the word as a shopper does, once the rule is live for the API."""
    storefront.search_for(word)
    answer = storefront.query_api(query=word)
    storefront.expect_results(answer)
    return answer


def test_a_rules_banner_shows_with_its_link_and_only_for_its_query(
    open_storefront: OpenStorefront,
    word: str,
    rule_for: Callable[[str, dict[str, Any]], None],
) -> None:
    rule_for(word, {"userData": {"banner": f"Aktion {word}", "url": "/?query=aktion"}})
    storefront = open_storefront()
    answer = _search(storefront, word)
    assert answer["userData"] == [{"banner": f"Aktion {word}", "url": "/?query=aktion"}]
    banner = storefront.page.get_by_test_id("banner")
    expect(banner).to_have_text(f"Aktion {word}")
    expect(banner.locator("a")).to_have_attribute("href", "/?query=aktion")
    storefront.search_for("hülle")
    expect(banner).to_have_count(0)


def test_a_banner_never_links_to_a_script(
    open_storefront: OpenStorefront,
    word: str,
    rule_for: Callable[[str, dict[str, Any]], None],
) -> None:
    rule_for(word, {"userData": {"banner": "Klick", "url": "javascript:alert(1)"}})
    storefront = open_storefront()
    _search(storefront, word)
    banner = storefront.page.get_by_test_id("banner")
    expect(banner).to_have_text("Klick")
    expect(banner.locator("a")).to_have_count(0)


def test_the_filters_follow_a_rules_facet_order(
    open_storefront: OpenStorefront,
    word: str,
    rule_for: Callable[[str, dict[str, Any]], None],
) -> None:
    storefront = open_storefront()
    expect(storefront.page.get_by_test_id("filter-section")).to_have_count(len(PAGE_ORDER))
    assert _sections(storefront) == PAGE_ORDER
    ordering = {"facets": {"order": ["price", "brand"]}}
    rule_for(word, {"renderingContent": {"facetOrdering": ordering}})
    answer = _search(storefront, word)
    assert answer["renderingContent"] == {"facetOrdering": {**ordering, "values": {}}}
    # the named filters first, in the rule's order; the others after them, in the page's
    expected = ["price", "brands", "categories", "colors", "in-stock"]
    storefront.page.wait_for_function(
        """expected => JSON.stringify([...document.querySelectorAll(
             '[data-testid="filter-section"]')].map(e => e.dataset.filter)) ===
             JSON.stringify(expected)""",
        arg=expected,
        timeout=10_000,
    )
    # and they still filter: the brands are the two products' brands
    labels = storefront.page.locator("#brands .ais-RefinementList-labelText").all_inner_texts()
    assert sorted(labels) == ["Acme", "Hama"]


def test_popular_searches_are_suggested_under_the_search_box(
    open_storefront: OpenStorefront, settings: Settings, word: str
) -> None:
    popular = f"{word} hülle"
    with httpx.Client(base_url=f"http://127.0.0.1:{settings.read_api_port}", timeout=30) as reader:
        search_logged(reader, popular, 4)
    with ThreadPoolExecutor(1) as beside:  # asyncio.run, beside the browser's loop
        beside.submit(wait_logged, settings, [popular], 4).result()
        beside.submit(build_as_the_job, settings).result()
    storefront = open_storefront()
    storefront.search_for(word[:5])
    suggestion = storefront.page.get_by_test_id("suggestion").filter(has_text=popular)
    expect(suggestion).to_have_count(1)
    expect(suggestion.locator("mark")).to_have_text(word[:5])
    suggestion.click()
    expect(storefront.page.locator("#searchbox .ais-SearchBox-input")).to_have_value(popular)
    storefront.expect_results(storefront.query_api(query=popular))
    # the query searched is not suggested again
    expect(storefront.page.get_by_test_id("suggestion").filter(has_text=popular)).to_have_count(0)
