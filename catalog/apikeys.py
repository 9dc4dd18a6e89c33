"""API keys: minted once, shown once, stored as a hash; roles and what each may do.

A key reads `csk_<key id>_<secret>`. The key id is public (logs, change
history); the secret is 256 random bits, so a plain SHA-256 of it is safe
to store (no password stretching needed for random secrets). A `search` key
is also the parent of Algolia-style secured keys, which are checked with an
HMAC keyed by the whole parent key: its secret is kept sealed with the server
key as well (`catalog.sealing`), never in plain text.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from pymongo.asynchronous.database import AsyncDatabase

from catalog.clock import now_ms
from catalog.products.storage import API_KEYS, Document
from catalog.sealing import Sealer, SealingError
from catalog.settings import Settings

Role = Literal["search", "analyst", "editor", "admin"]
ROLES: tuple[Role, ...] = ("search", "analyst", "editor", "admin")
Power = Literal[
    "search",  # query the read API when it requires a key (a private shop)
    "send_events",  # send Insights events (clicks, conversions, views)
    "read_fresh",  # skip cached answers with `Cache-Control: no-cache`
    "read_analytics",  # /v1/analytics/*
    "read_sync",  # GET /v1/sync/status
    "write",  # change products, images, rules, synonyms
    "manage_keys",  # create, list and revoke keys
]
# what each role may do: the one table every check reads
POWERS: dict[Role, frozenset[Power]] = {
    "search": frozenset({"search", "send_events"}),
    "analyst": frozenset({"search", "read_analytics", "read_sync"}),
    "editor": frozenset({"search", "send_events", "read_fresh", "read_sync", "write"}),
    "admin": frozenset(get_args(Power)),
}
# roles whose keys can make secured keys (their secret is kept sealed)
PARENT_ROLES: frozenset[Role] = frozenset({"search"})
_KEY_FORMAT = re.compile(r"^csk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's public id and its role."""

    key_id: str
    role: Role

    def may(self, power: Power) -> bool:
        """Whether the key's role includes `power`."""
        return power in POWERS[self.role]


@dataclass(frozen=True, slots=True)
class ParentKey:
    """A `search` key whole, as secured keys made from it are checked against."""

    principal: Principal
    key: str


class ServerKeyMissingError(RuntimeError):
    """A `search` key was asked for without `CATALOG_SERVER_KEY` to seal its secret."""


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


async def create_key(
    db: AsyncDatabase[Document], role: Role, name: str = "", *, sealer: Sealer | None = None
) -> str:
    """Store a new key's hash and return the key itself (the only time it is known).

    A parent role's secret is stored sealed too; without a sealer that raises
    ServerKeyMissingError.
    """
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    record: Document = {
        "_id": key_id,
        "hash": _hash(secret),
        "role": role,
        "name": name,
        "created_at": now_ms(),
        "revoked_at": None,
    }
    if role in PARENT_ROLES:
        if sealer is None:
            raise ServerKeyMissingError(
                f"a {role} key needs CATALOG_SERVER_KEY set (make one: catalog keys server-key)"
            )
        record["sealed"] = sealer.seal(secret, key_id)
    await db[API_KEYS].insert_one(record)
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


async def parent_keys(db: AsyncDatabase[Document], sealer: Sealer | None) -> list[ParentKey]:
    """Every unrevoked parent key whole, its secret opened with the server key.

    Without a sealer, or for a record sealed with another server key, there
    is nothing to check secured keys against: those keys are left out.
    """
    if sealer is None:
        return []
    parents = []
    cursor = db[API_KEYS].find({"role": {"$in": sorted(PARENT_ROLES)}, "revoked_at": None})
    async for doc in cursor:
        try:
            secret = sealer.open(doc.get("sealed", ""), doc["_id"])
        except SealingError:
            continue
        if hmac.compare_digest(doc["hash"], _hash(secret)):
            principal = Principal(key_id=doc["_id"], role=doc["role"])
            parents.append(ParentKey(principal, f"csk_{doc['_id']}_{secret}"))
    return parents


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


def sealer_of(settings: Settings) -> Sealer | None:
    """The sealer of the configured server key (`CATALOG_SERVER_KEY`), or None without one."""
    return Sealer(settings.server_key.get_secret_value()) if settings.server_key else None
