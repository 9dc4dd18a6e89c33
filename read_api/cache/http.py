"""Cached answers over HTTP: X-Cache, a strong ETag, Cache-Control, and 304 for If-None-Match.

GET answers carry `Cache-Control: public, max-age=…, stale-while-revalidate=…`
so a CDN or browser may keep them for a moment; the ETag is a digest of the
body, so every replica gives the same one and a revalidation costs no body.
POST searches are not cacheable by HTTP caches and get only `X-Cache`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

import orjson
from fastapi import Depends, Request, Response
from pydantic import BaseModel

from catalog.settings import Settings
from read_api.cache.read_through import ReadCache, Served
from read_api.cache.store import Answer
from read_api.schemas import SearchResponse

Produce = Callable[[], Awaitable[BaseModel | None]]
JSON = "application/json"


def answer_of(model: BaseModel) -> Answer:
    """A model serialised as the cache stores it and clients receive it."""
    total = model.total if isinstance(model, SearchResponse) else None
    return Answer(200, orjson.dumps(model.model_dump(mode="json")), total)


def not_found(detail: str) -> Answer:
    """A 404 answer, shaped like FastAPI's HTTPException."""
    return Answer(404, orjson.dumps({"detail": detail}))


def etag_of(body: bytes) -> str:
    """A strong validator: the same bytes give the same tag on every replica."""
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether `If-None-Match` names this tag (weak comparison, as RFC 9110 wants for it)."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == etag:
            return True
    return False


def wants_fresh(cache_control: str | None) -> bool:
    """`Cache-Control: no-cache` on the request: skip cached answers (editors reading a write)."""
    if not cache_control:
        return False
    return any(part.strip().lower() == "no-cache" for part in cache_control.split(","))


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """How long HTTP caches may keep and then still serve a GET answer."""

    max_age_s: int
    stale_while_revalidate_s: int

    @classmethod
    def from_settings(cls, settings: Settings) -> HttpPolicy:
        """The policy the settings describe."""
        return cls(settings.http_max_age_s, settings.http_stale_while_revalidate_s)

    @property
    def cache_control(self) -> str:
        """The `Cache-Control` header of cacheable answers."""
        return (
            f"public, max-age={self.max_age_s}, "
            f"stale-while-revalidate={self.stale_while_revalidate_s}"
        )


class CachedAnswers:
    """One request's way to its answer through the read cache."""

    def __init__(self, request: Request, cache: ReadCache, policy: HttpPolicy) -> None:
        self.request = request
        self.cache = cache
        self.policy = policy

    async def fetch(self, key: str, produce: Produce, not_found_detail: str = "") -> Served:
        """The answer for `key`: cached, or produced (None: 404 with `not_found_detail`)."""

        async def compute() -> Answer:
            model = await produce()
            return not_found(not_found_detail) if model is None else answer_of(model)

        fresh = wants_fresh(self.request.headers.get("cache-control"))
        return await self.cache.fetch(key, compute, read=not fresh)

    def response(self, served: Served) -> Response:
        """The HTTP response of a served answer, or 304 if the client holds it already."""
        headers: dict[str, str] = {"X-Cache": served.state}
        body = served.answer.body
        if self.request.method == "GET":
            headers["ETag"] = etag_of(body)
            headers["Cache-Control"] = self.policy.cache_control
            headers["Vary"] = "Accept-Encoding"
            if etag_matches(self.request.headers.get("if-none-match"), headers["ETag"]):
                return Response(status_code=304, headers=headers)
        return Response(body, status_code=served.answer.status, headers=headers, media_type=JSON)

    async def respond(self, key: str, produce: Produce, not_found_detail: str = "") -> Response:
        """Fetch and answer in one step."""
        return self.response(await self.fetch(key, produce, not_found_detail))


async def cached_answers(request: Request) -> CachedAnswers:
    """The read cache bound to this request."""
    state = request.app.state
    return CachedAnswers(request, state.read_cache, state.http_cache_policy)


CachedAnswersDep = Annotated[CachedAnswers, Depends(cached_answers)]
