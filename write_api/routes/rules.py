"""Query rule routes: `/v1/rules` CRUD and `POST /v1/rules:bulk` (role editor).

Routes translate HTTP into rule commands (write_api.rule_commands); errors and
answers are the versioned sets' (write_api.versioned_http).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from catalog.products.store import ProductStore
from catalog.rules.model import MAX_RULES, RuleId, RuleIn
from catalog.rules.storage import is_live, rule_view
from catalog.web.deps import ClientsDep
from write_api.auth import KEY_ERRORS, Editor
from write_api.idempotency_route import IdempotencyKey, idempotent
from write_api.responses import etag, json_response
from write_api.routes.products import WRITE_ERRORS
from write_api.rule_bulk import run_bulk
from write_api.rule_commands import RuleCommands
from write_api.versioned_http import (
    IfMatch,
    check_path_id,
    deleted_answer,
    entry_answer,
    run_command,
)

router = APIRouter(tags=["rules"], responses=KEY_ERRORS)
RULES_PATH = "/v1/rules"
RULES_BULK_PATH = "/v1/rules:bulk"
NOUN = "rule"
RuleIdPath = Annotated[RuleId, Path(description="the rule's objectID")]
BULK_EXAMPLE = (
    '{"op":"upsert","rule":{"objectID":"r1","consequence":{"userData":{"banner":"x"}}}}\n'
    '{"op":"delete","id":"r2"}\n'
)
BULK_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-ndjson": {"schema": {"type": "string"}, "example": BULK_EXAMPLE}
        },
    }
}


def commands_of(request: Request, clients: ClientsDep) -> RuleCommands:
    """The rule commands over this process's clients."""
    products = ProductStore(clients.db, point_reads=request.app.state.mongo_point_reads)
    return RuleCommands(clients.db, clients.redis, products)


@router.post(RULES_PATH, status_code=201, responses=WRITE_ERRORS)
async def create_rule(
    request: Request,
    rule: RuleIn,
    principal: Editor,
    clients: ClientsDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Create a rule (an objectID is generated when none is given); 409 if it exists."""
    rule_id = rule.objectID or uuid.uuid4().hex
    commands = commands_of(request, clients)

    async def run() -> Response:
        result = await run_command(
            commands.upsert(rule_id, rule, if_match=None, create_only=True), NOUN
        )
        return entry_answer(result, RULES_PATH, 201)

    return await idempotent(request, principal, idempotency_key, run)


@router.put(
    f"{RULES_PATH}/{{rule_id}}", responses={**WRITE_ERRORS, 201: {"description": "created"}}
)
async def replace_rule(
    request: Request,
    rule_id: RuleIdPath,
    rule: RuleIn,
    principal: Editor,
    clients: ClientsDep,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Create or replace a rule (201 when created)."""
    check_path_id(rule.objectID, rule_id)
    commands = commands_of(request, clients)

    async def run() -> Response:
        result = await run_command(commands.upsert(rule_id, rule, if_match=if_match), NOUN)
        return entry_answer(result, RULES_PATH, 201 if result.outcome == "created" else 200)

    return await idempotent(request, principal, idempotency_key, run)


@router.delete(
    f"{RULES_PATH}/{{rule_id}}", responses={**WRITE_ERRORS, 404: {"description": "no such rule"}}
)
async def delete_rule(
    request: Request,
    rule_id: RuleIdPath,
    _: Editor,
    clients: ClientsDep,
    if_match: IfMatch = None,
) -> Response:
    """Delete a rule, leaving a versioned tombstone."""
    deleting = commands_of(request, clients).delete(rule_id, if_match=if_match)
    return deleted_answer(await run_command(deleting, NOUN))


@router.get(f"{RULES_PATH}/{{rule_id}}", responses={404: {"description": "no such rule"}})
async def get_rule(
    request: Request, rule_id: RuleIdPath, _: Editor, clients: ClientsDep
) -> Response:
    """The rule as stored."""
    doc = await commands_of(request, clients).get(rule_id)
    if not is_live(doc):
        raise HTTPException(404, f"no rule {rule_id!r}")
    assert doc is not None
    return json_response(rule_view(doc), headers={"ETag": etag(doc["version"])})


@router.get(RULES_PATH)
async def list_rules(
    request: Request,
    _: Editor,
    clients: ClientsDep,
    limit: Annotated[int, Query(ge=1, le=MAX_RULES)] = MAX_RULES,
) -> Response:
    """Every live rule, by objectID."""
    docs = await commands_of(request, clients).list_live(limit)
    return json_response({"items": [rule_view(doc) for doc in docs], "count": len(docs)})


@router.post(
    RULES_BULK_PATH,
    response_class=Response,
    openapi_extra=BULK_BODY,
    responses={
        200: {
            "description": 'one JSON line per operation, then `{"summary": {...}}`',
            "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
        },
        400: {"description": "the body is not valid JSON"},
        413: {"description": "more than the rule set's size in one request"},
        415: {"description": "neither NDJSON nor a JSON list"},
        503: {"description": "MongoDB unreachable; retry after Retry-After"},
    },
)
async def bulk_rules(request: Request, _: Editor, clients: ClientsDep) -> Response:
    """Upsert and delete many rules: `{"op":"upsert","rule":{...}}` / `{"op":"delete","id":...}`."""
    body = await request.body()
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    lines = await run_bulk(commands_of(request, clients), content_type, body)
    return Response(lines, media_type="application/x-ndjson")
