"""Search settings routes: `GET`/`PUT /v1/settings` (role editor), live within the poll interval.

One versioned document (catalog.search_settings): stop words and the default
facet ordering; the read APIs apply them at query time (docs/merchandising.md).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from catalog.search_settings.model import SearchSettings
from catalog.search_settings.storage import SEARCH_SETTINGS, SETTINGS_ID
from catalog.versioned_docs import is_live, view
from catalog.web.deps import ClientsDep
from write_api.auth import KEY_ERRORS, Editor
from write_api.idempotency_route import IdempotencyKey, idempotent
from write_api.responses import etag, json_response
from write_api.routes.products import WRITE_ERRORS
from write_api.versioned_commands import VersionedCommands
from write_api.versioned_http import IfMatch, entry_answer, run_command

router = APIRouter(tags=["settings"], responses=KEY_ERRORS)
SETTINGS_PATH = "/v1/settings"
SettingsCommands = VersionedCommands[SearchSettings]


def _defaults() -> dict[str, Any]:
    """What GET answers before anyone wrote settings: the defaults, version 0."""
    fields = SearchSettings().model_dump(mode="json", exclude_none=True)
    return {"objectID": SETTINGS_ID, **fields, "version": 0}


@router.get(SETTINGS_PATH)
async def get_settings(_: Editor, clients: ClientsDep) -> Response:
    """The search settings as stored (`ETag: "<version>"`; version 0: never written)."""
    doc = await SettingsCommands(SEARCH_SETTINGS, clients.db, clients.redis).get(SETTINGS_ID)
    if not is_live(doc):
        return json_response(_defaults(), headers={"ETag": etag(0)})
    assert doc is not None
    return json_response(view(doc), headers={"ETag": etag(doc["version"])})


@router.put(SETTINGS_PATH, responses=WRITE_ERRORS)
async def replace_settings(
    request: Request,
    settings: SearchSettings,
    principal: Editor,
    clients: ClientsDep,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Replace the search settings (what is left out takes its default)."""
    commands = SettingsCommands(SEARCH_SETTINGS, clients.db, clients.redis)

    async def run() -> Response:
        writing = commands.upsert(SETTINGS_ID, settings, if_match=if_match)
        return entry_answer(await run_command(writing, SEARCH_SETTINGS.noun), SETTINGS_PATH)

    return await idempotent(request, principal, idempotency_key, run)
