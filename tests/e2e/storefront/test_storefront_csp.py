"""The storefront under its Content-Security-Policy: it works, and the browser reports nothing."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import ConsoleMessage, Page, Request, Response, expect

from catalog.settings import Settings
from catalog.web.security_headers import content_security_policy
from tests.e2e.storefront.conftest import OpenStorefront

QUERY = "hülle"
# every violation the page's document sees, kept where the test can read it
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push({
    directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
    line: e.lineNumber, sample: e.sample,
  });
});
"""


def test_the_shop_searches_with_zero_csp_violations_and_sends_the_headers(
    open_storefront: OpenStorefront, settings: Settings
) -> None:
    errors: list[str] = []
    own: dict[str, Response] = {}
    queries: list[int] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    def on_request(request: Request) -> None:
        if request.url.endswith("/1/indexes/*/queries") or "/queries?" in request.url:
            queries.append(len(request.post_data_buffer or b""))

    def watch(page: Page) -> None:
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", on_console)
        page.on("request", on_request)
        page.on(
            "response", lambda response: own.setdefault(response.request.resource_type, response)
        )

    storefront = open_storefront(before_open=watch)
    storefront.search_for(QUERY)
    storefront.expect_results(storefront.query_api(query=QUERY))
    brand = storefront.page.locator("#brands .ais-RefinementList-label").first
    expect(brand).to_be_visible()
    brand.click()
    expect(storefront.page).to_have_url(re.compile("refinementList"))
    storefront.page.wait_for_load_state("networkidle")

    violations: list[dict[str, Any]] = storefront.page.evaluate("window.__cspViolations")
    assert violations == []
    assert [e for e in errors if "Content Security Policy" in e] == []

    document = own["document"]
    policy = content_security_policy(settings.csp_img_sources)
    for response in (document, own["script"], own["stylesheet"]):
        headers = response.all_headers()
        assert headers["content-security-policy"] == policy, response.url
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    # the largest multi-query the page sent fits the read API's body limit many times over
    assert queries
    print("MAXQ", max(queries), queries)
    assert max(queries) * 16 < settings.read_max_body_bytes, max(queries)
