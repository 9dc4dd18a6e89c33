"""API key administration over HTTP (admin role only)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, ConfigDict, Field

from catalog.apikeys import (
    Role,
    ServerKeyMissingError,
    create_key,
    list_keys,
    revoke_key,
    sealer_of,
)
from catalog.web.deps import ClientsDep
from write_api.auth import KEY_ERRORS, Admin

router = APIRouter(prefix="/v1/keys", tags=["keys"], responses=KEY_ERRORS)


class NewKey(BaseModel):
    """What a new key is for."""

    model_config = ConfigDict(extra="forbid")

    role: Role
    name: Annotated[str, Field(max_length=200)] = ""


class CreatedKey(BaseModel):
    """A new key; `key` is shown only this once."""

    key: str
    key_id: str
    role: Role


class KeyView(BaseModel):
    """A stored key, without its secret."""

    key_id: str
    role: Role
    name: str
    created_at: datetime
    revoked_at: datetime | None


@router.get("")
async def get_keys(_: Admin, clients: ClientsDep) -> list[KeyView]:
    """Every key, oldest first."""
    return [KeyView(**asdict(k)) for k in await list_keys(clients.db)]


@router.post("", status_code=201)
async def post_key(body: NewKey, _: Admin, clients: ClientsDep) -> CreatedKey:
    """Mint a key; its secret is in this answer only."""
    try:
        key = await create_key(clients.db, body.role, body.name, sealer=sealer_of(clients.settings))
    except ServerKeyMissingError as exc:
        raise HTTPException(409, str(exc)) from None
    return CreatedKey(key=key, key_id=key.split("_")[1], role=body.role)


@router.delete("/{key_id}", status_code=204, responses={404: {"description": "no such key"}})
async def delete_key(
    key_id: Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")], _: Admin, clients: ClientsDep
) -> None:
    """Revoke a key (takes effect within CATALOG_AUTH_CACHE_S seconds)."""
    if not await revoke_key(clients.db, key_id):
        raise HTTPException(404, f"no active key {key_id!r}")
