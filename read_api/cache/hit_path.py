"""The hit path: a GET whose answer the in-process tier holds, answered before routing.

A cacheable GET that went through its route once is remembered by its raw
target (path and query string): the cache key its route computed, the route
(for metrics), and how it logs its search. The next identical GET is answered
here, under the access log, the request id and the rate limit but before
parameter parsing, validation and the endpoint, if the in-process tier holds
a current answer for that key. Anything else (no-cache, an outdated or
missing answer, a request never seen) goes the normal way, which serves
stale answers and refreshes them. Both ways send the same bytes and headers
(`http_answer`). The memory of targets is bounded (least recently used).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from read_api.access import access_of
from read_api.cache.http import JSON, HttpPolicy, LogSearch, http_answer, skips_cache
from read_api.cache.read_through import ReadCache

Target = tuple[str, bytes, str]
MAX_TARGETS = 20_000
_WANTED = {b"if-none-match", b"accept-encoding", b"cache-control"}


@dataclass(frozen=True, slots=True)
class Remembered:
    """What a route worked out for one raw target."""

    key: str
    route: Any
    log: LogSearch | None


def _target(scope: Scope) -> Target:
    # a secured key's answers are its own: its restriction scope is part of the target
    return (scope["path"], bytes(scope.get("query_string", b"")), access_of(scope).scope)


class HitPath:
    """Raw targets mapped to cache keys, and answers for them from the in-process tier."""

    def __init__(self, cache: ReadCache, policy: HttpPolicy, max_targets: int = MAX_TARGETS):
        self.cache = cache
        self.policy = policy
        self.max_targets = max_targets
        self._targets: OrderedDict[Target, Remembered] = OrderedDict()

    def __len__(self) -> int:
        return len(self._targets)

    def remember(self, scope: Scope, key: str, log: LogSearch | None) -> None:
        """Called by a route that answered a GET through the cache."""
        target = _target(scope)
        self._targets[target] = Remembered(key, scope.get("route"), log)
        self._targets.move_to_end(target)
        while len(self._targets) > self.max_targets:
            self._targets.popitem(last=False)

    def forget(self) -> None:
        """Forget every target: their keys may no longer be what their routes would compute
        (the query rules changed, and a rule's consequences are part of the key)."""
        self._targets.clear()

    def answer(self, scope: Scope) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        """Status, headers and body for a remembered GET with a current answer in memory.

        A key restricted to some indices goes the normal way: its route checks the index
        (its answers are still cached), which a target remembered for others does not.
        """
        if access_of(scope).restricts_indices:
            return None
        remembered = self._targets.get(_target(scope))
        if remembered is None:
            return None
        headers = {
            bytes(name).decode(): bytes(value).decode("latin-1")
            for name, value in scope["headers"]
            if name in _WANTED
        }
        if skips_cache(headers.get("cache-control"), scope):
            return None
        served = self.cache.memory_hit(remembered.key)
        if served is None:
            return None
        if remembered.log is not None:
            remembered.log(served.answer.total or 0)
        if remembered.route is not None:
            scope["route"] = remembered.route  # the metrics' route label, as routed
        sent = http_answer(
            served,
            self.policy,
            get=True,
            if_none_match=headers.get("if-none-match"),
            accept_encoding=headers.get("accept-encoding"),
        )
        raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in sent.headers.items()]
        if sent.status != 304:
            raw.append((b"content-type", JSON.encode()))
            raw.append((b"content-length", str(len(sent.body)).encode()))
        return sent.status, raw, sent.body


class HitPathMiddleware:
    """Answers remembered GETs from memory; everything else passes to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one request from memory if the hit path can."""
        hits: HitPath | None = None
        if scope["type"] == "http" and scope["method"] == "GET":
            hits = getattr(scope["app"].state, "hit_path", None)
        found = hits.answer(scope) if hits is not None else None
        if found is None:
            await self.app(scope, receive, send)
            return
        status, headers, body = found
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
