"""Scores of one ranking (pure): nDCG@10, precision@10, hits; and their means over a query set.

- nDCG@10 (tests.relevance.ndcg): gain 2^rating - 1, unrated products 0, the
  ideal over every rating of the query. A query whose ratings are all 0 has
  none (`ndcg is None`) and is left out of both means.
- precision@10: the share of the 10 places holding a product rated >= 1;
  a search with fewer than 10 hits leaves the empty places as misses.
- zero-result: the search matched nothing; counted over every query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tests.relevance.ndcg import K, ndcg

RELEVANT = 1  # the lowest rating precision counts as a hit


@dataclass(frozen=True)
class Ranking:
    """What one search returned: the first K product ids, best first, and its total hits."""

    ids: tuple[str, ...]
    hits: int


@dataclass(frozen=True)
class QueryScore:
    """One query's scores for one ranking; `ndcg` None when nothing is rated above 0."""

    query: str
    ndcg: float | None
    precision: float
    hits: int
    grades: tuple[int, ...]  # of the ranked products, unrated 0


def precision(grades: Sequence[int], k: int = K) -> float:
    """The share of the first k places holding a product rated at least RELEVANT."""
    return sum(1 for grade in grades[:k] if grade >= RELEVANT) / k


def score(query: str, ranking: Ranking, ratings: Mapping[str, int], k: int = K) -> QueryScore:
    """Grade the ranking by the query's ratings and score it."""
    grades = tuple(ratings.get(product_id, 0) for product_id in ranking.ids[:k])
    judged = any(rating > 0 for rating in ratings.values())
    value = ndcg(grades, ratings.values(), k) if judged else None
    return QueryScore(query, value, precision(grades, k), ranking.hits, grades)


@dataclass(frozen=True)
class Summary:
    """Means over the queries with a relevant product, and zero-result searches over all."""

    ndcg: float
    precision: float
    zero_results: int
    queries: int  # every query searched
    judged: int  # the queries in the means


def summarize(scores: Sequence[QueryScore]) -> Summary:
    """The means and counts of one system's scores over a query set."""
    judged = [s for s in scores if s.ndcg is not None]
    if not judged:
        raise ValueError("no query has a relevant product: the means are undefined")
    return Summary(
        ndcg=sum(s.ndcg or 0.0 for s in judged) / len(judged),
        precision=sum(s.precision for s in judged) / len(judged),
        zero_results=sum(1 for s in scores if s.hits == 0),
        queries=len(scores),
        judged=len(judged),
    )
