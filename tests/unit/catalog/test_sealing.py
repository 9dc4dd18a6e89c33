"""Sealed secrets open with the same server key and key id only."""

from __future__ import annotations

import pytest

from catalog.sealing import Sealer, SealingError, new_server_key, server_key_bytes


def test_a_sealed_secret_opens_only_with_its_server_key_and_key_id() -> None:
    key = new_server_key()
    sealed = Sealer(key).seal("the secret", "0123456789ab")
    assert "the secret" not in sealed
    assert Sealer(key).open(sealed, "0123456789ab") == "the secret"
    with pytest.raises(SealingError):
        Sealer(key).open(sealed, "ba9876543210")
    with pytest.raises(SealingError):
        Sealer(new_server_key()).open(sealed, "0123456789ab")
    with pytest.raises(SealingError):
        Sealer(key).open(sealed[:-2] + "AA", "0123456789ab")


def test_two_seals_of_one_secret_differ() -> None:
    sealer = Sealer(new_server_key())
    assert sealer.seal("s", "id") != sealer.seal("s", "id")


@pytest.mark.parametrize("text", ["", "short", "a" * 44, "%%%%"])
def test_a_server_key_must_be_32_bytes_of_base64(text: str) -> None:
    with pytest.raises(SealingError):
        server_key_bytes(text)


def test_standard_and_url_safe_base64_are_both_read() -> None:
    raw = bytes(range(256))[-32:]
    import base64

    assert server_key_bytes(base64.b64encode(raw).decode()) == raw
    assert server_key_bytes(base64.urlsafe_b64encode(raw).decode().rstrip("=")) == raw
