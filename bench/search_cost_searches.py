"""The searches of the search-cost benchmark, and the requests the read API sends for each.

A search's first body is built by the read API's own code: the native
builder for the demo mix (`bench.read_queries.Search.es_body`), the Algolia
plan for Chorus (`read_api.algolia.searches.plan_hits`). What follows it is
also the read API's decision, never re-implemented here: a native search
runs through `read_api.views.search` itself, against a recorder that sends
each body on and keeps it; an Algolia plan is asked for its `retry_body`
when it has one. So a checkout with one stage, with two, or with its
retry rule renamed is measured as it is. The spelling-suggestion request a
native search without hits adds is left out (it asks no facets and ranks
nothing), and counted.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from bench.read_queries import distinct_searches
from catalog.settings import Settings
from read_api import views
from read_api.algolia.searches import HitsSearch, plan_hits
from read_api.query import builder
from read_api.query.model import SearchQuery

Body = dict[str, Any]
Send = Callable[[Body], Awaitable[dict[str, Any]]]  # one `_search`: body -> response
# what a storefront on the Algolia protocol asks with every Chorus search
CHORUS_FACETS = ("brand", "categories.lvl0", "price", "attributes.product_colour")
CHORUS_HITS_PER_PAGE = 20
ALGOLIA_INDEX = "products"


@dataclass(frozen=True)
class SystemRequests:
    """The `_search` bodies the read API sent for one search, in order; suggestions apart."""

    bodies: list[Body]
    suggestions: int = 0
    hits: int = 0  # what the last search body found


class _Recorder:
    """A stand-in for `views.ReadModel`: sends each body on and keeps it."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.bodies: list[Body] = []
        self.suggestions = 0
        self.hits = 0

    async def run(self, body: Body) -> dict[str, Any]:
        response = await self.send(body)
        if "suggest" in body:
            self.suggestions += 1
        else:
            self.bodies.append(body)
            self.hits = int(response["hits"]["total"]["value"])
        return response


@dataclass(frozen=True)
class CostSearch:
    """One measured search: its words, the read API's first body, how it runs on."""

    text: str
    body: Body
    native: SearchQuery | None = None  # run through the native view
    algolia: HitsSearch | None = None  # else through its Algolia plan

    async def system(self, send: Send) -> SystemRequests:
        """Run the search as the read API does, through `send`; the bodies it sent."""
        if self.native is not None:
            recorder = _Recorder(send)
            await views.search(cast(views.ReadModel, recorder), self.native)
            found = SystemRequests(recorder.bodies, recorder.suggestions, recorder.hits)
        else:
            found = await _algolia(self.body, self.algolia, send)
        if not found.bodies or found.bodies[0] != self.body:
            raise RuntimeError(f"the read API's first body for {self.text!r} is not the one built")
        return found


async def _algolia(body: Body, plan: HitsSearch | None, send: Send) -> SystemRequests:
    response = await send(body)
    bodies = [body]
    # older checkouts' plans have no retry_body: they send one body
    retry = getattr(plan, "retry_body", None)
    if retry is not None and (again := retry(response)) is not None:
        bodies.append(again)
        response = await send(again)
    return SystemRequests(bodies, 0, int(response["hits"]["total"]["value"]))


def has_stages() -> bool:
    """Whether this checkout's search body has stages (strict, then a more tolerant one)."""
    return "stage" in inspect.signature(builder.search_body).parameters


def demo_searches(settings: Settings, count: int, seed: int) -> list[CostSearch]:
    """`count` different faceted searches with words, as the read benchmark's uncached mix."""
    found = []
    for search in distinct_searches(count, seed):
        if search.q.strip():  # a listing has no words, so no BM25 twin
            query = search.query(settings)
            found.append(CostSearch(search.q, search.es_body(settings), native=query))
    return found


def chorus_fields(text: str) -> Mapping[str, Any]:
    """The Algolia search parameters a storefront sends for one Chorus query."""
    return {"query": text, "hitsPerPage": CHORUS_HITS_PER_PAGE, "facets": list(CHORUS_FACETS)}


def chorus_searches(texts: list[str]) -> list[CostSearch]:
    """One Algolia-protocol search per query text, planned by the read API's own code."""
    plans = [(text, plan_hits(ALGOLIA_INDEX, chorus_fields(text))) for text in texts]
    return [CostSearch(text, plan.body(), algolia=plan) for text, plan in plans]
