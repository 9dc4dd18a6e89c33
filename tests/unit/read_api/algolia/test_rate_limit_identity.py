"""Algolia clients are rate-limited by their search key together with their address."""

from __future__ import annotations

from starlette.types import Scope

from read_api.rate_limit import client_identity


def _scope(headers: list[tuple[str, str]], query: str = "", client: str = "10.0.0.9") -> Scope:
    return {
        "type": "http",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
        "query_string": query.encode(),
        "client": (client, 5000),
    }


def test_the_search_key_counts_per_address_in_a_header_or_the_url() -> None:
    header = client_identity(_scope([("X-Algolia-API-Key", "public")]), "X-API-Key", 0)
    in_url = client_identity(
        _scope([], "x-algolia-api-key=public&x-algolia-agent=js"), "X-API-Key", 0
    )
    assert header == in_url
    assert header.startswith("algolia:")
    assert header.endswith(":10.0.0.9")
    other_shopper = client_identity(
        _scope([("X-Algolia-API-Key", "public")], client="10.0.0.10"), "X-API-Key", 0
    )
    assert other_shopper != header
    other_key = client_identity(_scope([("X-Algolia-API-Key", "other")]), "X-API-Key", 0)
    assert other_key != header


def test_the_native_key_still_wins_and_no_key_is_the_address() -> None:
    both = [("X-API-Key", "secret"), ("X-Algolia-API-Key", "public")]
    assert client_identity(_scope(both), "X-API-Key", 0).startswith("key:")
    assert client_identity(_scope([]), "X-API-Key", 0) == "ip:10.0.0.9"
