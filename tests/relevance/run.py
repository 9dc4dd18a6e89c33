"""Runs the judged queries against a read API and scores them; also a report for tuning.

    set -a; source .devstack/env; set +a
    .venv/bin/python -m tests.relevance.run   # per-query nDCG@10 and the mean

It needs the e2e data set loaded (any run of tests/e2e/read_api does that).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from catalog.settings import Settings
from indexer.index_definition import alias_name
from tests.e2e.read_api.conftest import IN_DATASET, in_dataset_query
from tests.relevance.judgements import JUDGEMENTS, Judgement
from tests.relevance.ndcg import K, ndcg
from tests.relevance.rules import Product

# the public fields the rules read
GRADED_FIELDS = ("id", "title", "brand", "category_paths", "attributes")


@dataclass(frozen=True)
class Scored:
    """One query's nDCG@10 and the grades of its top hits, for failure messages."""

    query: str
    ndcg: float
    grades: tuple[int, ...]
    ideal: tuple[int, ...]

    def __str__(self) -> str:
        return f"{self.ndcg:.3f}  {self.query!r}  top {list(self.grades)}  best {list(self.ideal)}"


def dataset_products(es: httpx.Client, settings: Settings) -> list[Product]:
    """Every active product of the e2e data set, as Elasticsearch holds it."""
    body = {
        "query": in_dataset_query(),
        "size": 10_000,
        "_source": list(GRADED_FIELDS),
    }
    response = es.post(f"/{alias_name(settings.es_index_prefix)}/_search", json=body)
    response.raise_for_status()
    hits = response.json()["hits"]["hits"]
    return [hit["_source"] for hit in hits]


def top_ids(read_api: httpx.Client, query: str) -> list[str]:
    """The ids of the first K hits of a relevance-ordered search inside the e2e data set."""
    params: dict[str, Any] = {
        "q": query,
        "filter": IN_DATASET,
        "page_size": K,
        "highlight": "false",
    }
    response = read_api.get("/v1/search", params=params)
    response.raise_for_status()
    return [str(hit["id"]) for hit in response.json()["hits"]]


def score(judgement: Judgement, ids: Sequence[str], products: Sequence[Product]) -> Scored:
    """nDCG@K of the ranked ids, the ideal being the best order of all products."""
    # hits are graded as indexed, in the same shape as the ideal's products
    by_id = {str(p["id"]): p for p in products}
    grades = tuple(judgement.grade(by_id[i]) for i in ids)
    ideal = sorted((judgement.grade(p) for p in products), reverse=True)
    return Scored(judgement.query, ndcg(grades, ideal), grades, tuple(ideal[:K]))


def score_all(
    read_api: httpx.Client, products: Sequence[Product], judgements: Sequence[Judgement]
) -> list[Scored]:
    """Every judged query, scored against the running read API."""
    return [score(j, top_ids(read_api, j.query), products) for j in judgements]


def mean(scored: Sequence[Scored]) -> float:
    """The mean nDCG@K over the queries."""
    return sum(s.ndcg for s in scored) / len(scored)


def main() -> None:
    """Print every query's nDCG@K and the mean (the dev stack, or whatever env points at)."""
    settings = Settings()
    base = f"http://127.0.0.1:{settings.read_api_port}"
    with (
        httpx.Client(base_url=base, timeout=60) as read_api,
        httpx.Client(base_url=settings.es_urls[0], timeout=60) as es,
    ):
        scored = score_all(read_api, dataset_products(es, settings), JUDGEMENTS)
    for entry in sorted(scored, key=lambda s: s.ndcg):
        print(entry)
    print(f"mean nDCG@{K} over {len(scored)} queries: {mean(scored):.4f}")


if __name__ == "__main__":
    main()
