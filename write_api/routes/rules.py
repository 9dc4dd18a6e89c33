"""Query rule routes: `/v1/rules` CRUD and `POST /v1/rules:bulk` (role editor).

Routes translate HTTP into rule commands (write_api.rule_commands) and their
errors into 404, 409, 412 and 422; writes answer with `ETag: "<version>"`.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Path, Query, Request, Response

from catalog.products.store import ProductStore
from catalog.rules.model import MAX_RULES, RuleId, RuleIn
from catalog.rules.storage import is_live, rule_view
from catalog.web.deps import ClientsDep
from write_api.auth import KEY_ERRORS, Editor
from write_api.idempotency_route import IdempotencyKey, idempotent
from write_api.responses import etag, json_response
from write_api.routes.products import WRITE_ERRORS
from write_api.rule_bulk import run_bulk
from write_api.rule_commands import (
    InvalidRule,
    RuleCommands,
    RuleConflict,
    RuleExists,
    RuleNotFound,
    RulePreconditionFailed,
    RuleResult,
)

router = APIRouter(tags=["rules"], responses=KEY_ERRORS)
RULES_PATH = "/v1/rules"
RULES_BULK_PATH = "/v1/rules:bulk"
RuleIdPath = Annotated[RuleId, Path(description="the rule's objectID")]
IfMatch = Annotated[
    str | None,
    Header(description='write only if the rule has this version, e.g. "3" (412 otherwise)'),
]
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
_ERRORS: dict[type[Exception], tuple[int, str]] = {
    RuleNotFound: (404, "no such rule"),
    RuleExists: (409, "a rule with this objectID exists; use PUT to replace it"),
    RulePreconditionFailed: (412, "If-Match does not match the rule's current version"),
    RuleConflict: (409, "the rule kept changing concurrently, or the rule set is full"),
}


def commands_of(request: Request, clients: ClientsDep) -> RuleCommands:
    """The rule commands over this process's clients."""
    products = ProductStore(clients.db, point_reads=request.app.state.mongo_point_reads)
    return RuleCommands(clients.db, clients.redis, products)


async def _run(coro: Any) -> RuleResult:
    """Await a command, its domain errors as HTTP errors."""
    try:
        result: RuleResult = await coro
    except InvalidRule as exc:
        detail = [{**e, "loc": ["body", *e["loc"]]} for e in exc.errors]
        raise HTTPException(422, detail) from exc
    except tuple(_ERRORS) as exc:
        status, message = _ERRORS[type(exc)]
        raise HTTPException(status, str(exc) or message) from exc
    return result


def _answer(result: RuleResult, status: int = 200) -> Response:
    doc = result.document
    headers = {"ETag": etag(doc["version"])}
    if status == 201:
        headers["Location"] = f"{RULES_PATH}/{doc['_id']}"
    return json_response(rule_view(doc), status, headers)


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
        result = await _run(commands.upsert(rule_id, rule, if_match=None, create_only=True))
        return _answer(result, 201)

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
    if rule.objectID is not None and rule.objectID != rule_id:
        loc = ["body", "objectID"]
        raise HTTPException(
            422, [{"loc": loc, "msg": "must equal the path", "type": "value_error"}]
        )
    commands = commands_of(request, clients)

    async def run() -> Response:
        result = await _run(commands.upsert(rule_id, rule, if_match=if_match))
        return _answer(result, 201 if result.outcome == "created" else 200)

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
    result = await _run(commands_of(request, clients).delete(rule_id, if_match=if_match))
    doc = result.document
    body = {"objectID": rule_id, "version": doc["version"], "deleted": True}
    return json_response(
        body | {"deleted_at": doc["deleted_at"]}, headers={"ETag": etag(doc["version"])}
    )


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
