"""No key, token or Authorization header sent to the APIs reaches any log file of the stack.

The requests carry distinctive secrets in every place a client puts one
(headers, the Authorization header, Algolia's query-string parameters); the
test first finds each request's access line by its request id (so it would
notice logs going quiet), then greps every log file for the secrets.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx

from catalog.settings import Settings
from tests.e2e.conftest import api_url
from tests.stack import wait_for

LOG_DEADLINE_S = 30  # a liveness bound for the log files to be written, not a speed claim


def _secret(kind: str) -> str:
    return f"edgeSecret{kind}{secrets.token_hex(8)}"


def _log_text(devstack_dir: Path) -> str:
    logs = devstack_dir / "logs"
    return "\n".join(
        path.read_text(errors="replace") for path in sorted(logs.rglob("*")) if path.is_file()
    )


def test_keys_in_headers_and_query_strings_never_reach_the_logs(
    settings: Settings, devstack_dir: Path
) -> None:
    header_key, bearer, query_key, query_key_upper, rate_key = (
        _secret(kind) for kind in ("Header", "Bearer", "Query", "QueryUpper", "RateKey")
    )
    catalog_key = "csk_0123456789ab_" + secrets.token_urlsafe(32)  # well-formed, unknown
    request_ids = []

    def send(api: str, method: str, path: str, **headers: str) -> None:
        request_id = f"edge-secrets-{secrets.token_hex(6)}"
        request_ids.append(request_id)
        query = f"x-algolia-api-key={query_key}&X-Algolia-API-Key={query_key_upper}"
        target = f"{path}{'&' if '?' in path else '?'}{query}"
        with httpx.Client(base_url=api_url(settings, api), timeout=30) as client:
            client.request(
                method,
                target,
                content=b"{}" if method == "POST" else None,
                headers={
                    "X-Request-ID": request_id,
                    "X-Algolia-API-Key": header_key,
                    "X-Algolia-Application-Id": "edge",
                    settings.rate_limit_key_header: rate_key,
                    **headers,
                },
            )

    for api in ("read_api", "write_api"):
        for authorization in (f"Bearer {bearer}", f"Bearer {catalog_key}", f"Basic {bearer}"):
            send(api, "GET", "/v1/products/EDGE-SECRETS", Authorization=authorization)
            send(api, "POST", "/v1/products:bulk", Authorization=authorization)
    send("read_api", "POST", "/1/indexes/*/queries")
    send("read_api", "POST", "/1/indexes/products/query")
    send("read_api", "GET", "/v1/search?q=h%C3%BClle")
    send("read_api", "POST", "/1/events")
    send("read_api", "GET", "/v1/analytics/searches", Authorization=f"Bearer {bearer}")

    def all_logged() -> bool:
        text = _log_text(devstack_dir)
        return all(request_id in text for request_id in request_ids)

    wait_for(all_logged, LOG_DEADLINE_S, "an access line for every request")
    text = _log_text(devstack_dir)
    for secret in (header_key, bearer, query_key, query_key_upper, rate_key, catalog_key):
        assert secret not in text, f"{secret[:16]}… is in the logs"
    assert catalog_key.split("_")[2] not in text  # the key's secret part, even alone
