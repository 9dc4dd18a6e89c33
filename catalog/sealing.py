"""Secrets the server must read back, sealed at rest with the server key (AES-256-GCM).

Most API keys are stored as a SHA-256 of their secret: checking one needs
only the hash. A `search` key is the parent of Algolia-style secured keys,
whose HMAC can only be checked with the parent key itself, so its secret is
kept too, sealed: `v1.<nonce>.<ciphertext>` (URL-safe base64), encrypted with
`CATALOG_SERVER_KEY` and bound to the key id as associated data, so a sealed
secret copied onto another key record does not open.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = "v1"
_NONCE_BYTES = 12
KEY_BYTES = 32


class SealingError(ValueError):
    """A server key that is not 32 bytes of base64, or a sealed value that does not open."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_server_key() -> str:
    """A fresh server key, as `CATALOG_SERVER_KEY` takes it (URL-safe base64 of 32 bytes)."""
    return _b64(secrets.token_bytes(KEY_BYTES))


def server_key_bytes(text: str) -> bytes:
    """The 32 bytes of a server key given as base64 (standard or URL-safe)."""
    try:
        raw = _unb64(text.strip().replace("+", "-").replace("/", "_"))
    except (binascii.Error, ValueError) as exc:
        raise SealingError("the server key is not base64") from exc
    if len(raw) != KEY_BYTES:
        raise SealingError(f"the server key must be {KEY_BYTES} bytes, not {len(raw)}")
    return raw


class Sealer:
    """Seals and opens short secrets with one server key."""

    def __init__(self, server_key: str) -> None:
        self._aead = AESGCM(server_key_bytes(server_key))

    def seal(self, secret: str, bound_to: str) -> str:
        """The sealed form of `secret`, openable only for the same `bound_to`."""
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, secret.encode(), bound_to.encode())
        return f"{_VERSION}.{_b64(nonce)}.{_b64(sealed)}"

    def open(self, sealed: str, bound_to: str) -> str:
        """The secret of a sealed value; SealingError for another key, id or a damaged value."""
        parts = sealed.split(".")
        if len(parts) != 3 or parts[0] != _VERSION:
            raise SealingError("not a sealed value of this version")
        try:
            plain = self._aead.decrypt(_unb64(parts[1]), _unb64(parts[2]), bound_to.encode())
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise SealingError("the sealed value does not open with this server key") from exc
        return plain.decode()
