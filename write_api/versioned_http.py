"""HTTP for the versioned sets (query rules, synonyms): errors, answers, headers, shared by both.

Commands (write_api.versioned_commands) raise their domain errors; here they
become 404, 409, 412 and 422 (field paths under `body`), and a stored entry
becomes an answer with `ETag: "<version>"` (and `Location` when created).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated

from fastapi import Header, HTTPException, Response

from catalog.versioned_docs import view
from write_api.responses import etag, json_response
from write_api.versioned_commands import (
    EntryConflict,
    EntryExists,
    EntryNotFound,
    EntryPreconditionFailed,
    EntryResult,
    InvalidEntry,
)

IfMatch = Annotated[
    str | None,
    Header(description='write only if the entry has this version, e.g. "3" (412 otherwise)'),
]
_ERRORS: dict[type[Exception], tuple[int, str]] = {
    EntryNotFound: (404, "no such {noun}"),
    EntryExists: (409, "a {noun} with this objectID exists; use PUT to replace it"),
    EntryPreconditionFailed: (412, "If-Match does not match the {noun}'s current version"),
    EntryConflict: (409, "the {noun} kept changing concurrently, or the set is full"),
}


async def run_command(coro: Awaitable[EntryResult], noun: str) -> EntryResult:
    """Await a command, its domain errors as HTTP errors."""
    try:
        return await coro
    except InvalidEntry as exc:
        detail = [{**e, "loc": ["body", *e["loc"]]} for e in exc.errors]
        raise HTTPException(422, detail) from exc
    except tuple(_ERRORS) as exc:
        status, message = _ERRORS[type(exc)]
        raise HTTPException(status, str(exc) or message.format(noun=noun)) from exc


def check_path_id(body_id: str | None, path_id: str) -> None:
    """422 when a body names another objectID than the path."""
    if body_id is not None and body_id != path_id:
        loc = ["body", "objectID"]
        raise HTTPException(
            422, [{"loc": loc, "msg": "must equal the path", "type": "value_error"}]
        )


def entry_answer(result: EntryResult, path: str, status: int = 200) -> Response:
    """The stored entry, its version as ETag (and where it lives, when created)."""
    doc = result.document
    headers = {"ETag": etag(doc["version"])}
    if status == 201:
        headers["Location"] = f"{path}/{doc['_id']}"
    return json_response(view(doc), status, headers)


def deleted_answer(result: EntryResult) -> Response:
    """What a delete answers: the id, the tombstone's version and when."""
    doc = result.document
    body = {"objectID": doc["_id"], "version": doc["version"], "deleted": True}
    return json_response(
        body | {"deleted_at": doc["deleted_at"]}, headers={"ETag": etag(doc["version"])}
    )
