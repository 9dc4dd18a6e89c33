"""`POST /v1/rules:bulk`: many rule operations in one request, each answered, a bad one alone.

Operations come as NDJSON (one a line, as products:bulk) or as a JSON list;
at most `MAX_RULES` of them (the size of the whole rule set), so the request
is read whole. The answer has the products:bulk shape: one line per
operation (`line`, `id`, `op`, `status`, `version`, `error`) and a summary.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import HTTPException
from pydantic import BaseModel, ConfigDict, Discriminator, TypeAdapter, ValidationError

from catalog.rules.model import MAX_RULES, RuleId, RuleIn
from write_api.rule_commands import (
    InvalidRule,
    RuleCommands,
    RuleConflict,
    RuleExists,
    RuleNotFound,
    RulePreconditionFailed,
)

NDJSON_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl")
_STATUS_OF: dict[type[Exception], int] = {
    RuleNotFound: 404,
    RuleExists: 409,
    RulePreconditionFailed: 412,
    RuleConflict: 409,
}


class Upsert(BaseModel):
    """Create or replace the rule named by its objectID."""

    model_config = ConfigDict(extra="forbid")
    op: Literal["upsert"]
    rule: RuleIn


class Delete(BaseModel):
    """Delete a rule."""

    model_config = ConfigDict(extra="forbid")
    op: Literal["delete"]
    id: RuleId


Operation = TypeAdapter[Upsert | Delete](Annotated[Upsert | Delete, Discriminator("op")])


def _operations(content_type: str, body: bytes) -> list[Any]:
    if content_type in NDJSON_TYPES:
        raw = [line for line in body.split(b"\n") if line.strip()]
    elif content_type == "application/json":
        try:
            items = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise HTTPException(400, "the body is not valid JSON") from None
        if not isinstance(items, list):
            raise HTTPException(415, "send a JSON list of operations, or NDJSON")
        raw = items
    else:
        raise HTTPException(415, "send the operations as application/x-ndjson or a JSON list")
    if len(raw) > MAX_RULES:
        raise HTTPException(413, f"at most {MAX_RULES} operations per request")
    return raw


def _parse(item: Any) -> Upsert | Delete:
    if isinstance(item, bytes):
        return Operation.validate_json(item)
    return Operation.validate_python(item)


async def _apply(commands: RuleCommands, op: Upsert | Delete) -> tuple[str, int, str]:
    if isinstance(op, Delete):
        done = await commands.delete(op.id, if_match=None)
        return op.id, done.document["version"], done.outcome
    if op.rule.objectID is None:
        raise InvalidRule([{"loc": ["objectID"], "msg": "required in bulk", "type": "missing"}])
    done = await commands.upsert(op.rule.objectID, op.rule, if_match=None)
    return op.rule.objectID, done.document["version"], done.outcome


async def run_bulk(commands: RuleCommands, content_type: str, body: bytes) -> bytes:
    """Apply every operation; the NDJSON answer."""
    out: list[bytes] = []
    counts: dict[str, int] = {}
    for number, item in enumerate(_operations(content_type, body), start=1):
        line: dict[str, Any] = {"line": number}
        try:
            op = _parse(item)
            line["op"] = op.op
            rule_id, version, outcome = await _apply(commands, op)
            line |= {"id": rule_id, "status": outcome, "version": version}
        except ValidationError as exc:
            errors = [
                {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
                for e in exc.errors(include_url=False)
            ]
            line |= {"status": "invalid", "error": errors}
        except InvalidRule as exc:
            loc_errors = [{**e, "loc": ["rule", *e["loc"]]} for e in exc.errors]
            line |= {"status": "invalid", "error": loc_errors}
        except tuple(_STATUS_OF) as exc:
            line |= {"status": "failed", "error": str(exc) or type(exc).__name__}
            line["code"] = _STATUS_OF[type(exc)]
        counts[line["status"]] = counts.get(line["status"], 0) + 1
        out.append(orjson.dumps(line))
    out.append(orjson.dumps({"summary": {"lines": sum(counts.values()), **counts}}))
    return b"\n".join(out) + b"\n"
