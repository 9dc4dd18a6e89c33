"""`POST /1/events`: the Algolia Insights API, so `search-insights` and InstantSearch send here.

The body is read raw and validated here rather than by FastAPI: browsers send
it with `navigator.sendBeacon` as `text/plain`, and every answer, errors
included, must be Algolia-shaped (`{"status": …, "message": …}`). Events go on
the search log's queue: the answer never waits for Redis or Elasticsearch.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from analytics.insights_events import InsightEvent
from analytics.insights_model import (
    MAX_BODY_BYTES,
    InsightsBatch,
    error_message,
    is_malformed,
)
from read_api.access import access_of
from read_api.analytics.search_logging import SearchLogDep
from read_api.bodies import BodyTooLarge, bounded_body

router = APIRouter(prefix="/1", tags=["algolia insights"])


class InsightsAnswer(BaseModel):
    """Algolia's answer shape, for success and failure alike."""

    status: int
    message: str


def _answer(status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": status, "message": message}, status_code=status)


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema with its `$defs` written in place (OpenAPI needs no components then)."""
    defs = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items() if key != "$defs"}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


_BODY_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": inline_refs(InsightsBatch.model_json_schema())}},
    }
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": InsightsAnswer, "description": "the body is not a JSON object"},
    401: {"model": InsightsAnswer, "description": "no search API key"},
    403: {"model": InsightsAnswer, "description": "a key that is not valid, or whose role may not"},
    413: {"model": InsightsAnswer, "description": "the body is larger than 2 MB"},
    422: {
        "model": InsightsAnswer,
        "description": "an invalid event: `message` names each problem with its field path",
    },
}


@router.post(
    "/events",
    response_model=InsightsAnswer,
    responses=_ERRORS,
    openapi_extra=_BODY_SCHEMA,
)
async def push_events(request: Request, search_log: SearchLogDep) -> JSONResponse:
    """Take up to 1000 click, conversion and view events; all valid, or none taken.

    Events need a `search` key (or a secured key made from one) in
    `X-Algolia-API-Key` (header or query parameter), so nobody without the
    shop's key can skew its analytics; they are rate limited like searches.
    A secured key's `userToken` replaces the events' own. Clicks and
    conversions that name a search's `queryID` count towards the
    click-through and conversion rates under `/v1/analytics/searches/…`.
    """
    access = access_of(request.scope)
    if access.principal is None:
        return _answer(401, "Insights events need a search API key: X-Algolia-API-Key")
    if not access.may("send_events"):
        return _answer(403, f"role {access.principal.role!r} may not send events")
    try:
        body = await bounded_body(request, MAX_BODY_BYTES)
    except BodyTooLarge:
        return _answer(413, "the body may hold at most 2 MB")
    try:
        batch = InsightsBatch.model_validate_json(body)
    except ValidationError as exc:
        return _answer(400 if is_malformed(exc) else 422, error_message(exc))
    received = datetime.now(UTC)
    events = [InsightEvent.of(event, received) for event in batch.events]
    if access.user_token is not None:
        events = [replace(event, user_token=access.user_token) for event in events]
    search_log.record_all(events)
    return _answer(200, "OK")
