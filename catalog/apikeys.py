"""API keys: minted once, shown once, stored only as a hash.

A key reads `csk_<key id>_<secret>`. The key id is public (logs, change
history); the secret is 256 random bits, so a plain SHA-256 of it is safe
to store (no password stretching needed for random secrets).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pymongo.asynchronous.database import AsyncDatabase

from catalog.clock import now_ms
from catalog.products.storage import API_KEYS, Document

Role = Literal["editor", "admin"]
ROLES: tuple[Role, ...] = ("editor", "admin")
_KEY_FORMAT = re.compile(r"^csk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's public id and its role."""

    key_id: str
    role: Role


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """A stored key as listed to operators (never the secret)."""

    key_id: str
    role: Role
    name: str
    created_at: datetime
    revoked_at: datetime | None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_key(key: str) -> tuple[str, str] | None:
    """Split a presented key into (key id, secret), or None when malformed."""
    match = _KEY_FORMAT.match(key)
    return (match.group(1), match.group(2)) if match else None


async def create_key(db: AsyncDatabase[Document], role: Role, name: str = "") -> str:
    """Store a new key's hash and return the key itself (the only time it is known)."""
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    await db[API_KEYS].insert_one(
        {
            "_id": key_id,
            "hash": _hash(secret),
            "role": role,
            "name": name,
            "created_at": now_ms(),
            "revoked_at": None,
        }
    )
    return f"csk_{key_id}_{secret}"


async def verify_key(db: AsyncDatabase[Document], key: str) -> Principal | None:
    """The principal of a valid, unrevoked key; None for anything else."""
    parsed = parse_key(key)
    if parsed is None:
        return None
    key_id, secret = parsed
    doc = await db[API_KEYS].find_one({"_id": key_id})
    if doc is None or doc.get("revoked_at") is not None:
        return None
    if not hmac.compare_digest(doc["hash"], _hash(secret)):
        return None
    return Principal(key_id=key_id, role=doc["role"])


async def list_keys(db: AsyncDatabase[Document]) -> list[KeyInfo]:
    """Every key, oldest first."""
    cursor = db[API_KEYS].find({}).sort("created_at", 1)
    return [
        KeyInfo(d["_id"], d["role"], d.get("name", ""), d["created_at"], d.get("revoked_at"))
        async for d in cursor
    ]


async def revoke_key(db: AsyncDatabase[Document], key_id: str) -> bool:
    """Revoke a key by id; False when there is no such unrevoked key."""
    result = await db[API_KEYS].update_one(
        {"_id": key_id, "revoked_at": None}, {"$set": {"revoked_at": now_ms()}}
    )
    return result.modified_count == 1
