"""Request ids: a well-formed incoming id is kept, anything else is replaced."""

from __future__ import annotations

import pytest

from catalog.web.middleware import _incoming_request_id, _route_template


def _scope(*headers: tuple[bytes, bytes]) -> dict[str, object]:
    return {"type": "http", "headers": list(headers)}


def test_a_well_formed_id_from_a_proxy_is_kept() -> None:
    assert _incoming_request_id(_scope((b"x-request-id", b"edge-7f3a.1"))) == "edge-7f3a.1"


@pytest.mark.parametrize("value", [b"", b"has space", b"x" * 129, b"<script>", "ümlaut".encode()])
def test_a_malformed_id_is_replaced_by_a_fresh_one(value: bytes) -> None:
    minted = _incoming_request_id(_scope((b"x-request-id", value)))
    assert minted != value.decode(errors="replace")
    assert len(minted) == 32
    assert minted.isalnum()


def test_each_request_without_an_id_gets_a_distinct_one() -> None:
    assert _incoming_request_id(_scope()) != _incoming_request_id(_scope())


def test_unmatched_requests_share_one_route_label() -> None:
    assert _route_template({"type": "http"}) == "<unmatched>"
