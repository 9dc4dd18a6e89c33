"""Variant grouping's cost: Elasticsearch's own time per search, grouped beside ungrouped.

    .venv/bin/python -m bench.grouping_cost [--searches 100] [--rounds 3]

Against the running stack's Elasticsearch and its products alias (`make up`:
the demo catalog, about 30% of whose models come in several colours). The
searches are the storefront's Algolia requests (24 hits, the page's five
facets) for the read benchmark's query words plus browsing, planned by the
read API's own code in four variants, in the same run, interleaved search by
search so the machine's state hits them alike:

- `plain`: no grouping (the baseline);
- `distinct=1`: one hit per group with its variant count, groups counted;
- `distinct=1 + facetingAfterDistinct`: facet values count groups too (the storefront's);
- `distinct=3`: up to three variants per group.

A search's time is its first stage's `took`, plus the follow-up request's
that counts the shown groups' variants (`distinct=1`). Every `_search` skips
the shard request cache. Reported: median and p95, and each variant's ratio
to `plain` (markdown on stdout).
"""

from __future__ import annotations

import statistics
from typing import Annotated, Any

import httpx
import typer

from bench.read_queries import distinct_searches
from catalog.settings import get_settings
from indexer.index_definition import alias_name
from read_api.algolia.searches import HitsSearch, plan_hits

app = typer.Typer(add_completion=False)
STOREFRONT = {
    "hitsPerPage": 24,
    "attributesToHighlight": ["title"],
    "facets": ["attributes.color", "brand", "categories.lvl0", "in_stock", "price"],
    "maxValuesPerFacet": 50,
}
VARIANTS: dict[str, dict[str, Any]] = {
    "plain": {},
    "distinct=1": {"distinct": 1},
    "distinct=1 + facetingAfterDistinct": {"distinct": 1, "facetingAfterDistinct": True},
    "distinct=3": {"distinct": 3},
}


def percentile(values: list[int], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(share * len(ordered)))])


def _took(es: httpx.Client, url: str, plan: HitsSearch) -> int:
    """Elasticsearch's time for the search's first stage, and its follow-up if it has one."""
    body = plan.body()
    response = es.post(url, json=body)
    response.raise_for_status()
    answer = response.json()
    took = int(answer["took"])
    follow_up = plan.follow_up(body, answer)
    if follow_up is not None:
        counted = es.post(url, json=follow_up)
        counted.raise_for_status()
        took += int(counted.json()["took"])
    return took


@app.command()
def main(
    searches: Annotated[int, typer.Option(help="different query texts")] = 100,
    rounds: Annotated[int, typer.Option(help="passes over every search and variant")] = 3,
    seed: Annotated[int, typer.Option()] = 7,
) -> None:
    """Measure and print the table."""
    settings = get_settings()
    texts = ["", *dict.fromkeys(s.q for s in distinct_searches(searches, seed) if s.q.strip())]
    plans = {
        name: [plan_hits("products", {**STOREFRONT, **extra, "query": t}) for t in texts]
        for name, extra in VARIANTS.items()
    }
    took: dict[str, list[int]] = {name: [] for name in VARIANTS}
    url = f"/{alias_name(settings.es_index_prefix)}/_search?request_cache=false"
    with httpx.Client(base_url=settings.es_urls[0], timeout=60) as es:
        for _ in range(rounds):
            for i in range(len(texts)):
                for name in VARIANTS:
                    took[name].append(_took(es, url, plans[name][i]))
    base = statistics.median(took["plain"])
    print(f"{len(texts)} searches (browsing and {len(texts) - 1} query texts) x {rounds} rounds\n")
    print("| variant | took p50 (ms) | took p95 (ms) | p50 vs plain |")
    print("| --- | ---: | ---: | ---: |")
    for name, values in took.items():
        p50 = statistics.median(values)
        ratio = p50 / base if base else float("nan")
        print(f"| {name} | {p50:.0f} | {percentile(values, 0.95):.0f} | {ratio:.2f}x |")


if __name__ == "__main__":
    app()
