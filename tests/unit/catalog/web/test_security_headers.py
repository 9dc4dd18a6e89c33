"""Security headers: every answer of an app built by the factory carries them; /docs its own CSP."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx

from catalog.settings import Settings
from catalog.web.factory import build_app
from catalog.web.security_headers import content_security_policy, security_headers
from catalog.web.swagger_docs import SWAGGER_UI, docs_policy

EXPECTED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
}


def _client() -> httpx.AsyncClient:
    app = build_app(api_name="test", title="t", description="d", settings=Settings())
    # no lifespan: the routes used here need no clients
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api")


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


def test_the_policy_allows_own_code_and_any_https_image_and_forbids_framing() -> None:
    policy = _directives(content_security_policy())
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' https: data:"
    assert policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in content_security_policy()


def test_the_image_sources_are_a_setting() -> None:
    policy = dict(security_headers("'self' data: http://images.local"))
    csp = policy[b"content-security-policy"].decode()
    assert _directives(csp)["img-src"] == "'self' data: http://images.local"


def test_the_image_host_is_always_an_image_source() -> None:
    local = Settings(image_base_url="http://127.0.0.1:8000/images", csp_img_src="'self'")
    assert local.csp_img_sources == "'self' http://127.0.0.1:8000"
    cdn = Settings(image_base_url="https://img.shop.example/p", csp_img_src="'self' https:")
    assert cdn.csp_img_sources == "'self' https: https://img.shop.example"
    named = Settings(
        image_base_url="https://img.shop.example/p", csp_img_src="https://img.shop.example"
    )
    assert named.csp_img_sources == "https://img.shop.example"


async def test_answers_and_errors_carry_every_header_and_no_hsts() -> None:
    async with _client() as client:
        responses = [await client.get("/openapi.json"), await client.get("/no-such-page")]
    for response in responses:
        for name, value in EXPECTED.items():
            assert response.headers[name] == value
        policy = content_security_policy(Settings().csp_img_sources)
        assert response.headers["content-security-policy"] == policy
        assert "strict-transport-security" not in response.headers
        assert len(response.headers.get_list("content-security-policy")) == 1


async def test_a_413_carries_them_too() -> None:
    async with _client() as client:
        response = await client.post("/openapi.json", content=b"x" * (11 * 1024 * 1024))
    assert response.status_code == 413
    assert response.headers["x-frame-options"] == "DENY"


async def test_the_docs_page_gets_its_own_policy_allowing_its_inline_script_by_hash() -> None:
    async with _client() as client:
        response = await client.get("/docs")
    assert response.status_code == 200
    # one pinned release, and the policy allows that release's folder alone
    assert f'src="{SWAGGER_UI}swagger-ui-bundle.js"' in response.text
    policies = response.headers.get_list("content-security-policy")
    assert len(policies) == 1
    policy = _directives(policies[0])
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy["script-src"]
    assert policy["script-src"].split()[0] == SWAGGER_UI
    assert policy["style-src"] == SWAGGER_UI
    assert "unsafe" not in policies[0]
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["x-frame-options"] == "DENY"


def test_a_docs_page_without_inline_script_allows_none() -> None:
    assert "sha256" not in docs_policy(b"<html><script src='x.js'></script></html>")
