"""The storefront in a real browser: each widget against the API's answer to the same request."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.storefront.conftest import PHONE, OpenStorefront
from tests.e2e.storefront.storefront_page import Storefront, as_json, marked_words

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT = ROOT / "docs" / "storefront.png"
QUERY = "hülle"  # frequent in the demo data set's titles
NO_MATCH = "qxzvjk"


def _first_brand(storefront: Storefront) -> str:
    label = storefront.page.locator("#brands .ais-RefinementList-labelText").first
    expect(label).to_be_visible()
    return label.inner_text().strip()


def _choose_brand(storefront: Storefront, brand: str) -> None:
    storefront.page.locator("#brands .ais-RefinementList-label", has_text=brand).first.click()


def test_a_query_shows_the_apis_hits_with_highlighted_titles(
    open_storefront: OpenStorefront,
) -> None:
    storefront = open_storefront()
    storefront.search_for(QUERY)
    answer = storefront.query_api(query=QUERY)
    assert answer["nbHits"] > 0
    storefront.expect_results(answer)
    expect(storefront.page).to_have_url(re.compile(r"query"))
    titles = storefront.page.get_by_test_id("hit-title")
    for i, hit in enumerate(answer["hits"]):
        expected = marked_words(hit["_highlightResult"]["title"]["value"])
        shown = titles.nth(i).locator("mark.ais-Highlight-highlighted").all_inner_texts()
        assert [word.lower() for word in shown] == expected, hit["objectID"]
    assert any(marked_words(h["_highlightResult"]["title"]["value"]) for h in answer["hits"])


def test_a_models_colours_are_one_card_with_their_number(
    open_storefront: OpenStorefront,
) -> None:
    storefront = open_storefront()
    storefront.search_for(QUERY)
    answer = storefront.query_api(query=QUERY)
    storefront.expect_results(answer)
    groups = [hit["group_id"] for hit in answer["hits"]]
    assert len(set(groups)) == len(groups)  # one card per model
    expected = {h["objectID"]: h["variants"] for h in answer["hits"] if h["variants"] > 1}
    assert expected, "the data set's cases come in several colours"
    notes = storefront.page.get_by_test_id("hit-variants")
    expect(notes).to_have_count(len(expected))
    shown = {
        storefront.hits.nth(i).get_attribute("data-object-id"): storefront.hits.nth(i)
        .get_by_test_id("hit-variants")
        .get_attribute("data-variants")
        for i in range(storefront.hits.count())
        if storefront.hits.nth(i).get_by_test_id("hit-variants").count()
    }
    assert shown == {object_id: str(n) for object_id, n in expected.items()}
    expect(notes.first).to_have_text(re.compile(r"^\d+ Farben$"))


def test_the_search_client_talks_to_the_pages_own_origin_only(
    open_storefront: OpenStorefront,
) -> None:
    storefront = open_storefront()
    sent: list[str] = []
    storefront.page.on("request", lambda request: sent.append(request.url))
    storefront.search_for(QUERY)
    storefront.expect_results(storefront.query_api(query=QUERY))
    searches = [url for url in sent if "/1/indexes/" in url]
    assert searches, sent
    assert all(url.startswith(storefront.base_url + "/1/indexes/") for url in searches)
    # only images may point elsewhere (other tests' products name external URLs): no script,
    # no XHR
    assert [f for f in storefront.foreign if f[0] != "image"] == []
    assert not [url for _, url in storefront.foreign if "algolia" in url or "jsdelivr" in url]


def test_an_image_that_does_not_load_shows_the_placeholder(
    open_storefront: OpenStorefront,
) -> None:
    def images_fail(page: Page) -> None:
        page.route("**/images/**", lambda route: route.abort())

    storefront = open_storefront(before_open=images_fail)
    image = storefront.hits.first.locator("img")
    expect(image).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))


def _euro(value: float) -> str:
    """A price as the page shows it (German notation)."""
    return f"{value:,.2f} €".replace(",", "_").replace(".", ",").replace("_", ".")


def test_a_shared_url_restores_the_state_and_sale_prices_strike_the_old_one(
    open_storefront: OpenStorefront,
) -> None:
    storefront = open_storefront(
        path="/?products%5BhierarchicalMenu%5D%5Bcategories.lvl0%5D%5B0%5D=Angebote"
    )
    answer = storefront.query_api(facetFilters=[["categories.lvl0:Angebote"]])
    storefront.expect_results(answer)
    on_sale = [hit for hit in answer["hits"] if hit["on_sale"]]
    assert on_sale
    cards = storefront.hits
    for i, hit in enumerate(answer["hits"]):
        card = cards.nth(i)
        text = card.get_by_test_id("hit-price").inner_text().replace("\xa0", " ")
        if hit["on_sale"]:
            regular = card.locator("s").inner_text().replace("\xa0", " ")
            assert regular == _euro(hit["price"]), hit["objectID"]
            assert _euro(hit["sale_price"]) in text, hit["objectID"]
        else:
            expect(card.locator("s")).to_have_count(0)
            assert _euro(hit["effective_price"]) in text, hit["objectID"]


def test_choosing_a_brand_keeps_only_that_brand(open_storefront: OpenStorefront) -> None:
    storefront = open_storefront()
    brand = _first_brand(storefront)
    _choose_brand(storefront, brand)
    answer = storefront.query_api(facetFilters=[[f"brand:{brand}"]])
    storefront.expect_results(answer)
    brands = storefront.page.get_by_test_id("hit-brand").all_inner_texts()
    assert brands
    assert {b.strip().lower() for b in brands} == {brand.lower()}
    count = storefront.page.locator(
        "#brands .ais-RefinementList-item--selected .ais-RefinementList-count"
    )
    assert int(count.inner_text().replace(".", "")) == answer["nbHits"]


def test_searching_a_brand_lists_the_matching_brands(open_storefront: OpenStorefront) -> None:
    storefront = open_storefront()
    prefix = _first_brand(storefront)[:3]
    storefront.page.locator("#brands .ais-SearchBox-input").fill(prefix)
    response = storefront.api.post(
        "/1/indexes/products/facets/brand/query", json={"facetQuery": prefix, "maxFacetHits": 10}
    )
    assert response.status_code == 200, response.text
    expected = [hit["value"] for hit in response.json()["facetHits"]]
    assert expected
    labels = storefront.page.locator("#brands .ais-RefinementList-labelText")
    expect(labels).to_have_count(len(expected))
    assert sorted(t.strip() for t in labels.all_inner_texts()) == sorted(expected)


def test_a_category_shows_the_hits_inside_it(open_storefront: OpenStorefront) -> None:
    storefront = open_storefront()
    page = storefront.page
    top = page.locator("#categories .ais-HierarchicalMenu > ul > .ais-HierarchicalMenu-item").first
    lvl0 = top.locator(".ais-HierarchicalMenu-label").first.inner_text().strip()
    top.locator(".ais-HierarchicalMenu-link").first.click()
    storefront.expect_results(storefront.query_api(facetFilters=[[f"categories.lvl0:{lvl0}"]]))
    child = page.locator(".ais-HierarchicalMenu-list--child .ais-HierarchicalMenu-item").first
    lvl1 = f"{lvl0} > {child.locator('.ais-HierarchicalMenu-label').inner_text().strip()}"
    child.locator(".ais-HierarchicalMenu-link").click()
    answer = storefront.query_api(facetFilters=[[f"categories.lvl1:{lvl1}"]])
    assert answer["nbHits"] > 0
    storefront.expect_results(answer)
    for hit in answer["hits"]:
        assert lvl1 in hit["categories"]["lvl1"], as_json(hit["categories"])
    expect(page.locator(".ais-HierarchicalMenu-item--selected").last).to_contain_text(
        lvl1.split(" > ")[-1]
    )


def test_a_price_range_keeps_prices_inside_it(open_storefront: OpenStorefront) -> None:
    storefront = open_storefront()
    page = storefront.page
    page.locator(".ais-RangeInput-input--min").fill("20")
    page.locator(".ais-RangeInput-input--max").fill("60")
    page.locator(".ais-RangeInput-submit").click()
    answer = storefront.query_api(numericFilters=["price>=20", "price<=60"])
    assert answer["nbHits"] > 0
    storefront.expect_results(answer)
    prices = [float(p) for p in storefront.hit_values("price")]
    assert prices
    assert all(20 <= p <= 60 for p in prices), prices


def test_in_stock_only(open_storefront: OpenStorefront) -> None:
    storefront = open_storefront()
    storefront.page.locator("#in-stock .ais-ToggleRefinement-checkbox").check()
    storefront.expect_results(storefront.query_api(facetFilters=["in_stock:true"]))
    stock = storefront.page.locator(".hit__stock").all_inner_texts()
    assert stock
    assert set(stock) == {"Auf Lager"}


def test_sorting_by_price_ascending(open_storefront: OpenStorefront) -> None:
    storefront = open_storefront()
    storefront.search_for(QUERY)
    storefront.expect_results(storefront.query_api(query=QUERY))
    storefront.page.locator(".ais-SortBy-select").select_option("products_price_asc")
    answer = storefront.query_api("products_price_asc", query=QUERY)
    storefront.expect_results(answer)
    prices = [float(p) for p in storefront.hit_values("effectivePrice")]
    assert len(prices) > 1
    assert prices == sorted(prices)


def test_the_next_page_shows_other_hits(open_storefront: OpenStorefront) -> None:
    storefront = open_storefront()
    storefront.expect_results(storefront.query_api())
    first = storefront.hit_ids()
    storefront.page.locator(".ais-Pagination-item--nextPage .ais-Pagination-link").click()
    answer = storefront.query_api(page=1)
    storefront.expect_results(answer)
    second = storefront.hit_ids()
    assert second
    assert not set(first) & set(second)
    expect(storefront.page.locator(".ais-Pagination-item--selected")).to_have_text("2")
    # the URL follows the state (written a moment later)
    expect(storefront.page).to_have_url(re.compile(r"page%5D=2"))


def test_no_results_names_the_query_and_starts_over(open_storefront: OpenStorefront) -> None:
    storefront = open_storefront()
    storefront.search_for(NO_MATCH)
    expect(storefront.page.get_by_test_id("no-results-query")).to_have_text(NO_MATCH)
    expect(storefront.hits).to_have_count(0)
    storefront.page.get_by_test_id("no-results-clear").click()
    expect(storefront.page.locator("#searchbox .ais-SearchBox-input")).to_have_value("")
    storefront.expect_results(storefront.query_api())


def test_an_unreachable_search_shows_a_notice_until_it_answers_again(
    open_storefront: OpenStorefront,
) -> None:
    storefront = open_storefront()
    page = storefront.page
    notice = page.get_by_test_id("search-error")
    expect(notice).to_be_hidden()
    # the network drops the search requests (the page's own routing still serves the rest)
    page.route("**/1/indexes/**", lambda route: route.abort("connectionrefused"))
    storefront.search_for(QUERY)
    expect(notice).to_be_visible()
    page.unroute("**/1/indexes/**")
    storefront.search_for(QUERY + " ")
    storefront.expect_results(storefront.query_api(query=QUERY + " "))
    expect(notice).to_be_hidden()


def test_on_a_phone_the_filters_fold_behind_a_toggle(open_storefront: OpenStorefront) -> None:
    storefront = open_storefront(viewport=PHONE)
    page = storefront.page
    filters = page.get_by_test_id("filters")
    toggle = page.get_by_test_id("filters-toggle")
    expect(filters).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(filters).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    brand = _first_brand(storefront)
    _choose_brand(storefront, brand)
    storefront.expect_results(storefront.query_api(facetFilters=[[f"brand:{brand}"]]))
    toggle.click()
    expect(filters).to_be_hidden()
    # the cards fit the narrow screen: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_screenshot_with_a_query_and_a_brand(open_storefront: OpenStorefront) -> None:
    storefront = open_storefront()
    storefront.search_for(QUERY)
    storefront.expect_results(storefront.query_api(query=QUERY))
    brand = _first_brand(storefront)
    _choose_brand(storefront, brand)
    storefront.expect_results(storefront.query_api(query=QUERY, facetFilters=[[f"brand:{brand}"]]))
    # the pictures of the cards in view, loaded (they load lazily, as they come into view)
    storefront.page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="hit-image"]')].slice(0, 8)
                 .every(img => img.complete && img.naturalWidth > 0)""",
        timeout=15_000,
    )
    SCREENSHOT.parent.mkdir(exist_ok=True)
    storefront.page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000
