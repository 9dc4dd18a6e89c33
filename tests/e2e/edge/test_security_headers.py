"""Both running APIs send the security headers on every kind of answer, and never HSTS."""

from __future__ import annotations

import httpx
import pytest

from catalog.settings import Settings
from catalog.web.security_headers import content_security_policy
from catalog.web.swagger_docs import SWAGGER_UI
from tests.e2e.conftest import api_url

EXPECTED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
}
# (API, method, path): successes, errors, pages, and answers made before routing
ANSWERS = [
    ("read_api", "GET", "/healthz"),
    ("read_api", "GET", "/"),
    ("read_api", "GET", "/v1/search?q=h%C3%BClle"),
    ("read_api", "GET", "/1/indexes/products?query=x"),
    ("read_api", "GET", "/no-such-page"),
    ("read_api", "POST", "/v1/search"),  # 422
    ("write_api", "GET", "/healthz"),
    ("write_api", "GET", "/v1/products/EDGE-NONE"),  # 401: no key
    ("write_api", "GET", "/openapi.json"),
]


@pytest.mark.parametrize(("api", "method", "path"), ANSWERS)
def test_every_answer_carries_the_security_headers(
    settings: Settings, api: str, method: str, path: str
) -> None:
    with httpx.Client(base_url=api_url(settings, api), timeout=30) as client:
        response = client.request(method, path, content=b"[" if method == "POST" else None)
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (response.status_code, name)
    assert response.headers.get_list("content-security-policy") == [
        content_security_policy(settings.csp_img_sources)
    ]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "strict-transport-security" not in response.headers  # nginx adds it, behind TLS


def test_a_413_before_routing_carries_them_too(settings: Settings) -> None:
    with httpx.Client(base_url=api_url(settings, "read_api"), timeout=30) as client:
        response = client.post("/v1/search", content=b" " * (settings.read_max_body_bytes + 1))
    assert response.status_code == 413
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("api", ["read_api", "write_api"])
def test_the_docs_page_has_a_policy_that_lets_swagger_ui_run(settings: Settings, api: str) -> None:
    with httpx.Client(base_url=api_url(settings, api), timeout=30) as client:
        response = client.get("/docs")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert f"script-src {SWAGGER_UI} 'sha256-" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
