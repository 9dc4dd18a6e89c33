"""A shopper's visit as InstantSearch.js sends it over the Algolia protocol (pure).

InstantSearch asks again on every keystroke and every refinement: one
multi-query holding the main request (hits and every facet) and, for each
refined disjunctive facet, one more request with that facet's own refinement
left out (`hitsPerPage: 0`, that facet only), so its counts show the other
choices. A visit here types its words letter by letter, then refines a brand,
then a colour, then turns to page 2: steps of 1, 2, 3 and 3 requests.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

INDEX = "products"
FACETS = ("attributes.color", "brand", "categories.lvl0", "in_stock", "price")
HITS_PER_PAGE = 20
PRE_TAG, POST_TAG = "__ais-highlight__", "__/ais-highlight__"
Request = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Refinements:
    """What the shopper has chosen so far: facet name to value, in the order chosen."""

    chosen: tuple[tuple[str, str], ...] = ()

    def facet_filters(self, leave_out: str | None = None) -> list[list[str]]:
        """`facetFilters` as InstantSearch sends them: one OR list per facet."""
        return [[f"{name}:{value}"] for name, value in self.chosen if name != leave_out]

    def plus(self, name: str, value: str) -> Refinements:
        """These refinements and one more."""
        return Refinements((*self.chosen, (name, value)))


def step_requests(query: str, refined: Refinements, page: int = 0) -> list[Request]:
    """The requests of one multi-query: the main one, then one per refined facet."""
    main: Request = {
        "indexName": INDEX,
        "query": query,
        "hitsPerPage": HITS_PER_PAGE,
        "page": page,
        "facets": list(FACETS),
        "maxValuesPerFacet": 10,
        "highlightPreTag": PRE_TAG,
        "highlightPostTag": POST_TAG,
        "facetFilters": refined.facet_filters(),
    }
    requests = [main]
    for name, _ in refined.chosen:
        requests.append(
            {
                "indexName": INDEX,
                "query": query,
                "hitsPerPage": 0,
                "page": 0,
                "attributesToRetrieve": [],
                "attributesToHighlight": [],
                "attributesToSnippet": [],
                "analytics": False,
                "clickAnalytics": False,
                "facets": [name],
                "facetFilters": refined.facet_filters(leave_out=name),
            }
        )
    return requests


def visit(query: str, brand: str | None, colour: str | None) -> list[list[Request]]:
    """Every step of one visit: each keystroke, the refinements, page 2."""
    steps = [
        step_requests(query[:n], Refinements())
        for n in range(1, len(query) + 1)
        if not query[:n].endswith(" ")  # a space alone does not change the words
    ]
    refined = Refinements()
    for name, value in (("brand", brand), ("attributes.color", colour)):
        if value is not None:
            refined = refined.plus(name, value)
            steps.append(step_requests(query, refined))
    steps.append(step_requests(query, refined, page=1))
    return steps


def visit_steps(
    texts: Sequence[str],
    top_values: Mapping[str, tuple[str | None, str | None]],
    visits: int,
    seed: int,
    zipf_s: float,
) -> list[list[Request]]:
    """The steps of `visits` visits, one after the other; words follow a Zipf distribution."""
    rng = random.Random(seed)  # noqa: S311 - benchmark input, not secrets
    weights = list(accumulate(1 / rank**zipf_s for rank in range(1, len(texts) + 1)))
    steps: list[list[Request]] = []
    for _ in range(visits):
        text = rng.choices(texts, cum_weights=weights)[0]
        brand, colour = top_values.get(text, (None, None))
        steps += visit(text, brand, colour)
    return steps
