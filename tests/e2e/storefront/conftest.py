"""Debian's Chromium, driven by Playwright, on the storefront of the test stack's read API.

The browser is the system's (`devstack/stack.sh install` installs it), never one
Playwright downloads. Every request the page sends elsewhere than its own origin
is aborted and recorded: pictures come from the image host (the read API), and the
search client must never reach out to Algolia's servers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, ViewportSize, sync_playwright

from catalog.settings import Settings
from tests.e2e.conftest import api_url
from tests.e2e.read_api.conftest import catalog, read_api
from tests.e2e.storefront.storefront_page import Storefront

__all__ = ["catalog", "read_api"]  # the demo data set's fixtures, reused here

CHROMIUM = "/usr/bin/chromium"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}

OpenStorefront = Callable[..., Storefront]


@pytest.fixture(scope="module")
def browser(read_api: httpx.Client) -> Iterator[Browser]:
    """One headless Chromium for this module, started once the data set is loaded.

    Playwright's sync API keeps an event loop running on this thread while it is
    started, and `asyncio.run` (the data set's loader, the async tests of other
    modules) refuses to run beside it: so it starts after the loading and stops
    with the module.
    """
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def open_storefront(
    browser: Browser, settings: Settings, read_api: httpx.Client
) -> Iterator[OpenStorefront]:
    """Open the storefront in a fresh browser context: `open_storefront(viewport=PHONE)`.

    `before_open(page)` runs before the page loads: to add init scripts or listeners.
    """
    base_url = api_url(settings, "read_api")
    contexts = []

    def open_one(
        viewport: ViewportSize = DESKTOP,
        path: str = "/",
        before_open: Callable[[Page], None] | None = None,
    ) -> Storefront:
        context = browser.new_context(viewport=viewport, locale="de-DE")
        contexts.append(context)
        page = context.new_page()
        storefront = Storefront(page, base_url, read_api)

        def own_origin_only(route: Route) -> None:
            request = route.request
            if request.url.startswith(base_url + "/"):
                route.continue_()
            else:
                storefront.foreign.append((request.resource_type, request.url))
                route.abort()

        page.route("**/*", own_origin_only)
        if before_open is not None:
            before_open(page)
        storefront.open(path)
        return storefront

    yield open_one
    for context in contexts:
        context.close()
