"""Secured keys made by the official Algolia Python client are read back and checked here."""

from __future__ import annotations

import base64

import pytest

from catalog.secured_keys import (
    InvalidRestrictionError,
    decode,
    make_secured_key,
    restrictions,
    signed_by,
)
from tests.keys import secured_key

PARENT = "csk_0123456789ab_" + "x" * 43


def _official(**restricted: object) -> str:
    return secured_key(PARENT, **restricted)


def test_a_key_of_the_official_client_is_signed_by_its_parent_and_no_other() -> None:
    key = _official(filters="brand:Acme AND price < 20", validUntil=1_900_000_000)
    decoded = decode(key)
    assert decoded is not None
    mac, params = decoded
    assert signed_by(PARENT, mac, params)
    assert not signed_by(PARENT[:-1] + "y", mac, params)
    limits = restrictions(params)
    assert limits.filters == "brand:Acme AND price < 20"
    assert limits.valid_until == 1_900_000_000
    assert limits.expired(1_900_000_000)
    assert not limits.expired(1_899_999_999)


def test_restrict_indices_and_user_token_as_the_client_encodes_them() -> None:
    key = _official(restrictIndices=["products", "products_price_*"], userToken="b2b-42")
    decoded = decode(key)
    assert decoded is not None
    limits = restrictions(decoded[1])
    assert limits.restrict_indices == ("products", "products_price_*")
    assert limits.allows_index("products_price_asc")
    assert not limits.allows_index("products_newest")
    assert limits.user_token == "b2b-42"
    assert limits.filters is None


def test_our_own_maker_matches_the_official_client() -> None:
    ours = make_secured_key(PARENT, {"filters": "brand:Acme", "validUntil": "1900000000"})
    assert ours == _official(filters="brand:Acme", validUntil=1_900_000_000)


def test_a_tampered_key_no_longer_verifies() -> None:
    key = _official(filters="brand:Acme")
    decoded = decode(key)
    assert decoded is not None
    mac, params = decoded
    widened = params.replace("Acme", "Beta")
    tampered = base64.b64encode((mac + widened).encode()).decode()
    again = decode(tampered)
    assert again is not None
    assert not signed_by(PARENT, *again)


@pytest.mark.parametrize(
    "text",
    ["public", "csk_0123456789ab_" + "x" * 43, "", "!!!", base64.b64encode(b"z" * 80).decode()],
)
def test_what_is_not_shaped_like_a_secured_key_decodes_to_nothing(text: str) -> None:
    assert decode(text) is None


def test_a_signed_but_unreadable_valid_until_is_refused() -> None:
    with pytest.raises(InvalidRestrictionError):
        restrictions("validUntil=tomorrow")
