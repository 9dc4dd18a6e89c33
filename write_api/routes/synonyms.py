"""Synonym routes: `/v1/synonyms` CRUD (role editor), live within the read APIs' poll interval.

A set is stored versioned like a rule (catalog.versioned_docs); the read APIs
apply it at query time, so a change needs no reindex (docs/merchandising.md).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from catalog.synonyms.model import MAX_SYNONYM_SETS, SynonymFields, SynonymId, SynonymIn
from catalog.synonyms.storage import SYNONYM_SET
from catalog.versioned_docs import is_live, view
from catalog.web.deps import ClientsDep
from write_api.auth import KEY_ERRORS, Editor
from write_api.idempotency_route import IdempotencyKey, idempotent
from write_api.responses import etag, json_response
from write_api.routes.products import WRITE_ERRORS
from write_api.versioned_commands import VersionedCommands
from write_api.versioned_http import (
    IfMatch,
    check_path_id,
    deleted_answer,
    entry_answer,
    run_command,
)

router = APIRouter(tags=["synonyms"], responses=KEY_ERRORS)
SYNONYMS_PATH = "/v1/synonyms"
NOUN = SYNONYM_SET.noun
SynonymIdPath = Annotated[SynonymId, Path(description="the synonym set's objectID")]
SynonymCommands = VersionedCommands[SynonymFields]


def commands_of(clients: ClientsDep) -> SynonymCommands:
    """The synonym commands over this process's clients."""
    return SynonymCommands(SYNONYM_SET, clients.db, clients.redis)


@router.post(SYNONYMS_PATH, status_code=201, responses=WRITE_ERRORS)
async def create_synonyms(
    request: Request,
    synonyms: SynonymIn,
    principal: Editor,
    clients: ClientsDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Create a synonym set (an objectID is generated when none is given); 409 if it exists."""
    set_id = synonyms.objectID or uuid.uuid4().hex

    async def run() -> Response:
        creating = commands_of(clients).upsert(set_id, synonyms, if_match=None, create_only=True)
        return entry_answer(await run_command(creating, NOUN), SYNONYMS_PATH, 201)

    return await idempotent(request, principal, idempotency_key, run)


@router.put(
    f"{SYNONYMS_PATH}/{{set_id}}", responses={**WRITE_ERRORS, 201: {"description": "created"}}
)
async def replace_synonyms(
    request: Request,
    set_id: SynonymIdPath,
    synonyms: SynonymIn,
    principal: Editor,
    clients: ClientsDep,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Create or replace a synonym set (201 when created)."""
    check_path_id(synonyms.objectID, set_id)

    async def run() -> Response:
        writing = commands_of(clients).upsert(set_id, synonyms, if_match=if_match)
        result = await run_command(writing, NOUN)
        return entry_answer(result, SYNONYMS_PATH, 201 if result.outcome == "created" else 200)

    return await idempotent(request, principal, idempotency_key, run)


@router.delete(
    f"{SYNONYMS_PATH}/{{set_id}}",
    responses={**WRITE_ERRORS, 404: {"description": "no such synonym set"}},
)
async def delete_synonyms(
    set_id: SynonymIdPath, _: Editor, clients: ClientsDep, if_match: IfMatch = None
) -> Response:
    """Delete a synonym set, leaving a versioned tombstone."""
    deleting = commands_of(clients).delete(set_id, if_match=if_match)
    return deleted_answer(await run_command(deleting, NOUN))


@router.get(f"{SYNONYMS_PATH}/{{set_id}}", responses={404: {"description": "no such set"}})
async def get_synonyms(set_id: SynonymIdPath, _: Editor, clients: ClientsDep) -> Response:
    """The synonym set as stored."""
    doc = await commands_of(clients).get(set_id)
    if not is_live(doc):
        raise HTTPException(404, f"no synonym set {set_id!r}")
    assert doc is not None
    return json_response(view(doc), headers={"ETag": etag(doc["version"])})


@router.get(SYNONYMS_PATH)
async def list_synonyms(
    _: Editor,
    clients: ClientsDep,
    limit: Annotated[int, Query(ge=1, le=MAX_SYNONYM_SETS)] = MAX_SYNONYM_SETS,
) -> Response:
    """Every live synonym set, by objectID."""
    docs = await commands_of(clients).list_live(limit)
    return json_response({"items": [view(doc) for doc in docs], "count": len(docs)})
