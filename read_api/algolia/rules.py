"""The Algolia protocol's rule reads: `rules/search` and `rules/{objectID}`.

Answered from the process's rule book (read_api/rules: no I/O), so they show
the rules searches apply right now, with a key that may read settings
(read_api/algolia/settings_acl.py). Editors change rules on `/v1/rules`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from catalog.rules.model import RuleFields
from catalog.rules.patterns import normalised
from read_api.algolia.errors import AlgoliaError
from read_api.algolia.routes import IndexPath
from read_api.algolia.settings_acl import read_params, require_settings_reader, settings_router
from read_api.rules.book import RuleBook
from read_api.rules.compiled import CompiledRule

router = settings_router()
MAX_HITS_PER_PAGE = 1000


class RuleSearch(BaseModel):
    """Algolia's searchRules parameters."""

    model_config = ConfigDict(extra="ignore")

    query: Annotated[str, Field(max_length=512)] = ""
    anchoring: Literal["is", "startsWith", "endsWith", "contains"] | None = None
    context: Annotated[str, Field(max_length=64)] | None = None
    enabled: bool | None = None
    page: Annotated[int, Field(ge=0, le=1000)] = 0
    hitsPerPage: Annotated[int, Field(ge=1, le=MAX_HITS_PER_PAGE)] = 20


def _rules(request: Request, index: str) -> list[CompiledRule]:
    require_settings_reader(request, index, "rules")
    book: RuleBook | None = getattr(request.app.state, "rules", None)
    return book.index.rules if book is not None else []


def rule_record(rule_id: str, fields: RuleFields) -> dict[str, Any]:
    """A rule as Algolia answers it."""
    return {"objectID": rule_id, **fields.model_dump(mode="json", exclude_none=True)}


def matches(rule: CompiledRule, params: RuleSearch) -> bool:
    """Whether a rule has the state asked for, and a condition with the pattern, anchoring
    and context asked for (`query` within its pattern, objectID or description)."""
    fields = rule.fields
    if params.enabled is not None and fields.enabled != params.enabled:
        return False
    conditions = fields.conditions
    if params.anchoring is not None:
        conditions = [
            c for c in conditions if c.pattern is not None and c.anchoring == params.anchoring
        ]
    if params.context is not None:
        conditions = [c for c in conditions if c.context == params.context]
    if (params.anchoring or params.context) and not conditions:
        return False
    text = normalised(params.query)
    if not text:
        return True
    named = [rule.id, fields.description or "", *(c.pattern or "" for c in conditions)]
    return any(text in normalised(name) for name in named)


@router.post("/{index}/rules/search", summary="Search query rules")
async def search_rules(request: Request, index: IndexPath) -> JSONResponse:
    """The live rules matching the parameters, a page of them by objectID."""
    rules = _rules(request, index)
    params = await read_params(request, RuleSearch)
    found = [rule_record(rule.id, rule.fields) for rule in rules if matches(rule, params)]
    size = params.hitsPerPage
    start = params.page * size
    pages = -(-len(found) // size)
    return JSONResponse(
        {"hits": found[start : start + size], "nbHits": len(found), "page": params.page,
         "nbPages": pages}
    )  # fmt: skip


@router.get("/{index}/rules/{object_id}", summary="Get a query rule")
async def get_rule(
    request: Request, index: IndexPath, object_id: Annotated[str, Path(max_length=200)]
) -> JSONResponse:
    """One live rule by objectID; 404 when there is none."""
    for rule in _rules(request, index):
        if rule.id == object_id:
            return JSONResponse(rule_record(rule.id, rule.fields))
    raise AlgoliaError(404, "ObjectID does not exist")
