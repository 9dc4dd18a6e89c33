"""The storefront as a test sees it: what the page shows, and what the API answers for the same.

Other tests write products into the same stack, so nothing here expects fixed
numbers: the page is compared with the read API's own answer to the request
the page's state stands for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

INDEX = "products"
HITS_PER_PAGE = 24  # the page's configure widget
FILTER_SECTIONS = 5  # category, brand, colour, price, stock
GROUPED = {"distinct": 1, "facetingAfterDistinct": True}  # so is its grouping of variants
PLAIN_TAGS = {"highlightPreTag": "<em>", "highlightPostTag": "</em>"}
# evaluated on an <img>: the URL it shows once loaded with real pixels, else ''
LOADED = "img => img.complete && img.naturalWidth > 0 ? img.currentSrc : ''"

_HIT_IDS_ARE = """expected => {
  const ids = [...document.querySelectorAll('[data-testid="hit"]')].map(e => e.dataset.objectId);
  return JSON.stringify(ids) === JSON.stringify(expected);
}"""


@dataclass
class Storefront:
    """One browser page on the storefront, and an HTTP client of the same read API."""

    page: Page
    base_url: str
    api: httpx.Client
    # requests the page tried to send anywhere but its own origin (aborted)
    foreign: list[tuple[str, str]] = field(default_factory=list)

    def open(self, path: str = "/") -> None:
        """Load the page and wait until it has settled.

        The filters are dynamic widgets: they mount after the first answer (its
        facet order), and their facets make a second search, which renders the
        hits again; elements taken before that would be detached.
        """
        self.page.goto(self.base_url + path)
        expect(self.nb_hits).to_be_visible()
        expect(self.page.get_by_test_id("filter-section")).to_have_count(FILTER_SECTIONS)
        self.page.wait_for_load_state("networkidle")

    @property
    def nb_hits(self) -> Locator:
        """The number in the stats line (its exact value in `data-nb-hits`)."""
        return self.page.get_by_test_id("nb-hits")

    @property
    def hits(self) -> Locator:
        """The product cards shown."""
        return self.page.get_by_test_id("hit")

    def search_for(self, query: str) -> None:
        """Type a query into the search box, as a shopper does."""
        box = self.page.locator("#searchbox .ais-SearchBox-input")
        box.fill("")
        box.press_sequentially(query)

    def hit_ids(self) -> list[str]:
        """The objectIDs of the cards shown, in order."""
        ids: list[str] = self.hits.evaluate_all("els => els.map(e => e.dataset.objectId)")
        return ids

    def hit_values(self, name: str) -> list[str]:
        """One data attribute of every card shown, in order."""
        values: list[str] = self.hits.evaluate_all(
            "(els, name) => els.map(e => e.dataset[name])", name
        )
        return values

    def query_api(self, index: str = INDEX, **params: Any) -> dict[str, Any]:
        """The read API's Algolia answer for one query, with the page's page size."""
        body = {"hitsPerPage": HITS_PER_PAGE, **GROUPED, **PLAIN_TAGS, **params}
        response = self.api.post(f"/1/indexes/{index}/query", json=body)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def expect_results(self, answer: dict[str, Any]) -> None:
        """Wait until the page shows exactly this answer's hits and count."""
        expect(self.nb_hits).to_have_attribute("data-nb-hits", str(answer["nbHits"]))
        expected = [hit["objectID"] for hit in answer["hits"]]
        try:
            self.page.wait_for_function(_HIT_IDS_ARE, arg=expected, timeout=10_000)
        except Exception:  # show the difference, not only the timeout
            assert self.hit_ids() == expected
            raise


def marked_words(html_value: str, pre: str = "<em>", post: str = "</em>") -> list[str]:
    """The highlighted parts of a `_highlightResult` value, lowercased."""
    words = []
    rest = html_value
    while pre in rest:
        rest = rest.split(pre, 1)[1]
        word, _, rest = rest.partition(post)
        words.append(word.lower())
    return words


def as_json(value: Any) -> str:
    """Compact JSON for assertion messages."""
    return json.dumps(value, ensure_ascii=False)[:2000]
