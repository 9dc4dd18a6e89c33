"""Cached answers over HTTP: X-Cache, Age, a strong ETag, gzip, Cache-Control, and 304.

GET answers carry `Cache-Control: public, max-age=…, stale-while-revalidate=…`
so a CDN or browser may keep them for a moment; the ETag is a digest of the
body, so every replica gives the same one and a revalidation costs no body.
POST searches are not cacheable by HTTP caches and get only `X-Cache` and
`Age`. `Age` is how long ago the answer's computation began: for `X-Cache:
stale` it bounds how old the data served is. The ETag and the gzip body are
made once per cached entry (see encoding.py), never per request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import orjson
from fastapi import Depends, Request, Response
from pydantic import BaseModel
from starlette.types import Scope

from catalog.settings import Settings
from read_api.access import access_of
from read_api.cache.encoding import accepts_gzip
from read_api.cache.read_through import ReadCache, Served
from read_api.cache.store import Answer
from read_api.schemas import SearchResponse

Produce = Callable[[], Awaitable[BaseModel | None]]
LogSearch = Callable[[int], None]  # records a search with the total it found
JSON = "application/json"

if TYPE_CHECKING:
    from read_api.cache.hit_path import HitPath


def answer_of(model: BaseModel) -> Answer:
    """A model serialised as the cache stores it and clients receive it."""
    total = model.total if isinstance(model, SearchResponse) else None
    return Answer.of(200, orjson.dumps(model.model_dump(mode="json")), total)


def not_found(detail: str) -> Answer:
    """A 404 answer, shaped like FastAPI's HTTPException."""
    return Answer.of(404, orjson.dumps({"detail": detail}))


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether `If-None-Match` names this tag (weak comparison, as RFC 9110 wants for it)."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == etag:
            return True
    return False


def skips_cache(cache_control: str | None, scope: Scope) -> bool:
    """`Cache-Control: no-cache` from a caller allowed to skip the cache (editors, admins).

    Anyone else gets the cached answer: an anonymous no-cache must not be a
    free way to send uncached searches to Elasticsearch at peak.
    """
    return wants_fresh(cache_control) and access_of(scope).may("read_fresh")


def fresh_requested(request: Request) -> bool:
    """`skips_cache` for a routed request."""
    return skips_cache(request.headers.get("cache-control"), request.scope)


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


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    """What goes on the wire for a served answer: status, headers, body (empty for 304)."""

    status: int
    headers: dict[str, str]
    body: bytes


def http_answer(
    served: Served,
    policy: HttpPolicy,
    *,
    get: bool,
    if_none_match: str | None,
    accept_encoding: str | None,
) -> HttpAnswer:
    """The answer as sent, the same from the routes and from the hit path (pure)."""
    answer = served.answer
    headers = served_headers(served)
    body = encoded_body(answer, accept_encoding, headers)
    if get:
        # the gzip form is another representation: its strong tag differs (RFC 9110 8.8.3)
        tag = answer.validator()
        headers["ETag"] = gzip_etag(tag) if "Content-Encoding" in headers else tag
        headers["Cache-Control"] = policy.cache_control
        if etag_matches(if_none_match, tag) or etag_matches(if_none_match, gzip_etag(tag)):
            headers.pop("Content-Encoding", None)
            return HttpAnswer(304, headers, b"")
    return HttpAnswer(answer.status, headers, body)


def gzip_etag(tag: str) -> str:
    """The strong tag of an answer's gzip form."""
    return tag[:-1] + '-gzip"'


class CachedAnswers:
    """One request's way to its answer through the read cache."""

    def __init__(
        self, request: Request, cache: ReadCache, policy: HttpPolicy, hits: HitPath | None
    ) -> None:
        self.request = request
        self.cache = cache
        self.policy = policy
        self.hits = hits
        self.key = ""

    async def fetch(self, key: str, produce: Produce, not_found_detail: str = "") -> Served:
        """The answer for `key`: cached, or produced (None: 404 with `not_found_detail`)."""

        async def compute() -> Answer:
            model = await produce()
            return not_found(not_found_detail) if model is None else answer_of(model)

        self.key = access_of(self.request.scope).scoped(key)
        return await self.cache.fetch(self.key, compute, read=not fresh_requested(self.request))

    def response(self, served: Served, log: LogSearch | None = None) -> Response:
        """The HTTP response of a served answer, or 304 if the client holds it already.

        `log` records the search (with its total); a GET remembers its key and
        `log` for the hit path, which answers the same request from memory next.
        """
        if log is not None:
            log(served.answer.total or 0)
        request = self.request
        get = request.method == "GET"
        if get and self.hits is not None and self.key:
            self.hits.remember(request.scope, self.key, log)
        sent = http_answer(
            served,
            self.policy,
            get=get,
            if_none_match=request.headers.get("if-none-match"),
            accept_encoding=request.headers.get("accept-encoding"),
        )
        if sent.status == 304:
            return Response(status_code=304, headers=sent.headers)
        return Response(sent.body, status_code=sent.status, headers=sent.headers, media_type=JSON)

    async def respond(self, key: str, produce: Produce, not_found_detail: str = "") -> Response:
        """Fetch and answer in one step."""
        return self.response(await self.fetch(key, produce, not_found_detail))


def served_headers(served: Served) -> dict[str, str]:
    """`X-Cache` and `Age` (whole seconds, rounded down as RFC 9111 counts them)."""
    return {"X-Cache": served.state, "Age": str(served.age_ms // 1000), "Vary": "Accept-Encoding"}


def encoded_body(answer: Answer, accept_encoding: str | None, headers: dict[str, str]) -> bytes:
    """The gzip body made with the entry if the client takes it (headers updated), else the body."""
    if answer.gzip is not None and accepts_gzip(accept_encoding):
        headers["Content-Encoding"] = "gzip"
        return answer.gzip
    return answer.body


async def cached_answers(request: Request) -> CachedAnswers:
    """The read cache bound to this request."""
    state = request.app.state
    hits = getattr(state, "hit_path", None)
    return CachedAnswers(request, state.read_cache, state.http_cache_policy, hits)


CachedAnswersDep = Annotated[CachedAnswers, Depends(cached_answers)]
