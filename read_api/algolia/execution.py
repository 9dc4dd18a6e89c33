"""Running planned Algolia searches: one read-through cache entry, one `_msearch` on a miss.

A multi-query is cached as a whole (InstantSearch repeats the same set of
queries as a shopper goes back and forth); its key is made of each plan's
normalised query. Whatever is per response (queryID, time, echoed params) is
added after the cache, so a cached answer still gets a fresh queryID.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request

from analytics.query_ids import new_query_id
from analytics.search_log import SearchLog
from read_api.access import access_of
from read_api.algolia.records import OBJECT_ID
from read_api.algolia.responses import Result, finished
from read_api.algolia.searches import FacetSearch, Planned, SuggestionSearch
from read_api.analytics.search_logging import log_search
from read_api.cache.http import fresh_requested
from read_api.cache.keys import PREFIX
from read_api.cache.read_through import ReadCache
from read_api.cache.store import Answer
from read_api.views import ReadModel

# part of every key: bump it when the shape of cached Algolia results changes
FORMAT = 1


def cache_key(plans: Sequence[Planned]) -> str:
    """The key of a set of plans: equal sets of queries share one entry."""
    material = [plan.key_material() for plan in plans]
    raw = orjson.dumps({"algolia": FORMAT, "plans": material}, option=orjson.OPT_SORT_KEYS)
    return f"{PREFIX}:algolia:{hashlib.sha256(raw).hexdigest()[:40]}"


@dataclass(frozen=True, slots=True)
class Ran:
    """Each plan's shared result, and whether the cache held them (`X-Cache`)."""

    results: list[Result]
    cache_state: str


async def run_plans(request: Request, model: ReadModel, plans: Sequence[Planned]) -> Ran:
    """The shared results of the plans, from the cache or one Elasticsearch round trip."""
    if not plans:
        return Ran([], "bypass")

    async def compute() -> Answer:
        sent = [plan.body() for plan in plans]
        targets = [plan.target(model) for plan in plans]
        responses = await _run_bodies(model, sent, targets)
        # plans whose strict stage found too few run again tolerantly, together
        retries = {i: body for i, p in enumerate(plans) if (body := p.retry_body(responses[i]))}
        if retries:
            again = await _run_bodies(model, list(retries.values()), [targets[i] for i in retries])
            for i, response in zip(retries, again, strict=True):
                responses[i], sent[i] = response, retries[i]
        # grouped searches count their shown groups' variants, together
        follow = {
            i: body
            for i, p in enumerate(plans)
            if (body := p.follow_up(sent[i], responses[i])) is not None
        }
        if follow:
            counted = await _run_bodies(model, list(follow.values()), [targets[i] for i in follow])
            for i, answer in zip(follow, counted, strict=True):
                responses[i] = plans[i].with_follow_up(responses[i], answer)
        shaped = [plan.shape(response) for plan, response in zip(plans, responses, strict=True)]
        return Answer(200, orjson.dumps(shaped))

    cache: ReadCache = request.app.state.read_cache
    key = access_of(request.scope).scoped(cache_key(plans))
    served = await cache.fetch(key, compute, read=not fresh_requested(request))
    return Ran(orjson.loads(served.answer.body), served.state)


async def _run_bodies(
    model: ReadModel, bodies: list[dict[str, Any]], targets: list[str | None]
) -> list[dict[str, Any]]:
    if len(bodies) == 1:
        return [await model.run(bodies[0], targets[0])]
    return await model.run_many(bodies, targets)


def answers(
    plans: Sequence[Planned], ran: Ran, started: float, search_log: SearchLog
) -> list[Result]:
    """Each plan's response: its shared result made its own, and its search logged."""
    took_ms = int((time.perf_counter() - started) * 1000)
    out = []
    for plan, result in zip(plans, ran.results, strict=True):
        if isinstance(plan, FacetSearch):
            out.append(finished(result, index=None, params=None, took_ms=took_ms, query_id=None))
            continue
        if isinstance(plan, SuggestionSearch):  # not a search of the catalog: not logged
            out.append(
                finished(result, index=plan.index, params=plan.echo, took_ms=took_ms, query_id=None)
            )
            continue
        query_id = new_query_id() if plan.params.click_analytics else None
        if plan.params.analytics:
            hits = [hit[OBJECT_ID] for hit in result["hits"]] if query_id else []
            total = int(result["nbHits"])
            log_search(search_log, "algolia", plan.query, total, query_id=query_id, hits=hits)
        out.append(
            finished(result, index=plan.index, params=plan.echo, took_ms=took_ms, query_id=query_id)
        )
    return out
